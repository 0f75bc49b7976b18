import Foundation

/// The server a lab run checks, as the learner types it (`--target`, the web form): an origin —
/// `http(s)://HOST[:PORT]` — and nothing else. Every step appends its own path, so a path, query or
/// fragment in the target would let whoever types it steer each request line (a `#` turns the
/// step's path into a fragment), and a user name or password would travel with every request.
/// The CLI and the web app judge the text here, so both refuse the same things in the same words.
public enum LabTarget {
    /// What a target looks like, for messages.
    public static let example = "http://127.0.0.1:3000"

    /// The origin `text` names (without a trailing `/`), or why it is not one.
    public static func origin(_ text: String) -> Result<URL, InvalidTarget> {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let components = URLComponents(string: text), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
            let host = components.percentEncodedHost, !host.isEmpty
        else {
            return .failure(InvalidTarget("'\(text)' is not an http:// or https:// URL; give your server's address, e.g. \(example)"))
        }
        let extra: String? =
            if components.percentEncodedUser != nil || components.percentEncodedPassword != nil {
                "a user name or password (before the @)"
            } else if !["", "/"].contains(components.percentEncodedPath) {
                "a path (\(components.percentEncodedPath))"
            } else if let query = components.percentEncodedQuery {
                "a query (?\(query))"
            } else if let fragment = components.percentEncodedFragment {
                "a fragment (#\(fragment))"
            } else {
                nil
            }
        if let extra {
            return .failure(
                InvalidTarget(
                    "'\(text)' has \(extra): a target is your server's origin only, http(s)://HOST:PORT, and each step adds its own path; "
                        + "give e.g. \(example)"))
        }
        var origin = components
        origin.percentEncodedPath = ""
        guard let url = origin.url else {
            return .failure(InvalidTarget("'\(text)' is not an http:// or https:// URL; give your server's address, e.g. \(example)"))
        }
        return .success(url)
    }
}

/// Why a target was refused, in words that say what to type instead.
public struct InvalidTarget: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
