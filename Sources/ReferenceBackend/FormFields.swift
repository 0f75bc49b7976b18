import Foundation
import Hummingbird

/// The fields of a form-encoded body, read by hand the way a body parser reads them: `+` is a
/// space, `%XX` an escaped byte. A body of another type has no fields.
enum FormFields {
    static let maximumBytes = 64 * 1024

    static func read(_ request: Request) async throws -> [String: String] {
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/x-www-form-urlencoded") else { return [:] }
        var request = request
        return parse(String(buffer: try await request.collectBody(upTo: maximumBytes)))
    }

    /// `a=1&b=x+y` → `["a": "1", "b": "x y"]`; the first of repeated names wins.
    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            if fields[name] == nil { fields[name] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return fields
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
