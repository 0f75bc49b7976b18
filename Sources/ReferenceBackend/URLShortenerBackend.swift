import Foundation
import Hummingbird

/// Plausible bugs in a `url-shortener` solution, each caught by one stage.
enum URLShortenerMutant: String, MutantCase {
    case jsonBodiesOnly = "json-bodies-only"
    case noRedirect = "no-redirect"
    case oneShortURL = "one-short-url"
    case acceptsAnything = "accepts-anything"
    case noCORS = "no-cors"
    case refusesPorts = "refuses-ports"
    case invalidAs400 = "invalid-as-400"

    var stage: String {
        switch self {
        case .jsonBodiesOnly, .refusesPorts: "shorten"
        case .noRedirect, .oneShortURL: "redirect"
        case .acceptsAnything, .invalidAs400: "invalid"
        case .noCORS: "cors"
        }
    }

    var bug: String {
        switch self {
        case .jsonBodiesOnly: "only JSON bodies are read (no form parser), so the form field 'url' is never seen and every URL is invalid"
        case .noRedirect: "GET /api/shorturl/:short_url answers the original URL as JSON instead of redirecting to it"
        case .oneShortURL: "the counter is never advanced: every URL gets short_url 1, overwriting the one before"
        case .acceptsAnything: "the URL is not validated, so 'ftp:/john-doe.invalidTLD' is shortened too"
        case .noCORS: "no Access-Control-Allow-Origin header, so a page on another origin cannot read the answers"
        case .refusesPorts: "the host is looked up with its port ('127.0.0.1:3000'), so every URL that carries a port is called invalid"
        case .invalidAs400: "an invalid URL answers 400 with the error, and freeCodeCamp's grader reads the error only from a 2xx answer"
        }
    }
}

/// The correct `url-shortener` solution (or one mutant of it): `POST /api/shorturl` stores an
/// http(s) URL under a number, and `GET /api/shorturl/:short_url` redirects to it.
struct URLShortenerBackend {
    let mutant: URLShortenerMutant?

    /// The URLs, in the order they were shortened: short_url N is the Nth.
    actor Store {
        private var urls: [String] = []

        func add(_ url: String, reuseFirst: Bool) -> Int {
            if reuseFirst, !urls.isEmpty {
                urls[0] = url
                return 1
            }
            urls.append(url)
            return urls.count
        }

        func url(_ number: Int) -> String? {
            urls.indices.contains(number - 1) ? urls[number - 1] : nil
        }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.allowAnyOrigin(mutant != .noCORS)
        let store = Store()
        router.post("/api/shorturl") { [mutant] request, _ in
            let fields = mutant == .jsonBodiesOnly ? [:] : try await FormFields.read(request)
            guard let url = fields["url"], mutant == .acceptsAnything || Self.isWebURL(url, portAllowed: mutant != .refusesPorts) else {
                return JSON.response(["error": "invalid url"], status: mutant == .invalidAs400 ? .badRequest : .ok)
            }
            let number = await store.add(url, reuseFirst: mutant == .oneShortURL)
            return JSON.response(["original_url": url, "short_url": number])
        }
        router.get("/api/shorturl/:number") { [mutant] _, context in
            guard let number = context.parameters.get("number").flatMap({ Int($0) }) else {
                return JSON.error(.badRequest, "Wrong format: short_url is a number")
            }
            guard let url = await store.url(number) else {
                return JSON.error(.notFound, "No short URL found for the given input")
            }
            if mutant == .noRedirect { return JSON.response(["original_url": url]) }
            return Response(status: .found, headers: [.location: url])
        }
        return router
    }

    /// An absolute http or https URL with a host; no DNS lookup, so it works offline.
    static func isWebURL(_ text: String, portAllowed: Bool) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host else { return false }
        return ["http", "https"].contains(scheme) && !host.isEmpty && (portAllowed || url.port == nil)
    }
}
