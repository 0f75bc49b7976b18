import Foundation
import Hummingbird

/// Plausible bugs in a `timestamp` solution, each caught by one stage.
enum TimestampMutant: String, MutantCase {
    case unixInSeconds = "unix-in-seconds"
    case utcAsISO = "utc-as-iso"
    case digitsAsDateText = "digits-as-date-text"
    case isoDatesOnly = "iso-dates-only"
    case invalidUnchecked = "invalid-unchecked"
    case noEmptyDate = "no-empty-date"
    case noCORS = "no-cors"
    case slashRedirect = "slash-redirect"

    var stage: String {
        switch self {
        case .unixInSeconds, .utcAsISO: "date-strings"
        case .digitsAsDateText: "milliseconds"
        case .isoDatesOnly: "other-formats"
        case .invalidUnchecked: "invalid"
        case .noEmptyDate: "now"
        case .noCORS: "cors"
        case .slashRedirect: "now"
        }
    }

    var bug: String {
        switch self {
        case .unixInSeconds: "unix is in seconds (getTime() / 1000), not milliseconds"
        case .utcAsISO: "utc is written toISOString()-style (2016-12-25T00:00:00.000Z), not toUTCString()-style"
        case .digitsAsDateText: "an all-digit date is parsed as a date text, so a timestamp in milliseconds is an Invalid Date"
        case .isoDatesOnly: "only yyyy-mm-dd is understood, so '05 October 2011, GMT' is an Invalid Date"
        case .invalidUnchecked: "an invalid date is not detected: the answer is {\"unix\": null, \"utc\": \"Invalid Date\"}"
        case .noEmptyDate: "only /api/:date is routed, so /api without a date answers 404"
        case .noCORS: "no Access-Control-Allow-Origin header, so a page on another origin cannot read the answers"
        case .slashRedirect: "correct: GET /api answers 301 to /api/ (a framework's trailing-slash rule), which a browser follows"
        }
    }

    var correct: Bool { self == .slashRedirect }
}

/// The correct `timestamp` solution (or one mutant of it): `GET /api/:date?` answers the date as
/// Unix milliseconds and as a UTC text, the way JavaScript's `Date` reads and writes it.
struct TimestampBackend {
    let mutant: TimestampMutant?

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.allowAnyOrigin(mutant != .noCORS)
        router.get("/api/:date") { _, context in
            answer(for: context.parameters.get("date").map { $0.removingPercentEncoding ?? $0 } ?? "")
        }
        if mutant == .slashRedirect {
            // The router reaches this handler for /api and /api/ alike; only the slashed one answers.
            router.get("/api") { request, _ in
                request.uri.path.hasSuffix("/") ? answer(for: "") : Response(status: .movedPermanently, headers: [.location: "/api/"])
            }
        } else if mutant != .noEmptyDate {
            router.get("/api") { _, _ in answer(for: "") }
        }
        return router
    }

    private func answer(for input: String) -> Response {
        guard let milliseconds = self.milliseconds(input) else {
            if mutant == .invalidUnchecked { return JSON.response(["unix": NSNull(), "utc": "Invalid Date"]) }
            return JSON.response(["error": "Invalid Date"])
        }
        let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        let unix = mutant == .unixInSeconds ? milliseconds / 1000 : milliseconds
        let utc = Self.parser(mutant == .utcAsISO ? "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'" : "EEE, dd MMM yyyy HH:mm:ss 'GMT'").string(from: date)
        return JSON.response(["unix": unix, "utc": utc])
    }

    /// Milliseconds since 1970: now for no date, the number itself for digits, else a date text in
    /// one of ``textFormats``; `nil` when it is none of these.
    private func milliseconds(_ input: String) -> Int? {
        let text = input.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return Int((Date().timeIntervalSince1970 * 1000).rounded()) }
        if mutant != .digitsAsDateText, text.wholeMatch(of: /-?\d+/) != nil { return Int(text) }
        let formats = mutant == .isoDatesOnly ? ["yyyy-MM-dd"] : Self.textFormats
        for format in formats {
            if let date = Self.parser(format).date(from: text) { return Int((date.timeIntervalSince1970 * 1000).rounded()) }
        }
        return nil
    }

    /// Date texts understood, read as UTC when they name no zone.
    static let textFormats = [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss.SSSXXXXX", "yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss",
        "d MMMM yyyy", "d MMMM yyyy, zzz", "d MMMM yyyy zzz", "MMMM d, yyyy", "EEE, d MMM yyyy HH:mm:ss zzz",
    ]

    private static func parser(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.isLenient = false
        formatter.dateFormat = format
        return formatter
    }
}
