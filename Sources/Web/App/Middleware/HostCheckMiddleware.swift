import HTTPTypes
import Hummingbird

/// Refuses requests whose `Host` header names a host this server was not configured for.
///
/// Without it, a web page on `evil.example` could rebind its DNS name to 127.0.0.1 and drive a
/// personal-mode Groundwork from the learner's own browser (DNS rebinding).
struct HostCheckMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let accepted: Set<String>
    static let hostField = HTTPField.Name("Host")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority else {
            throw UserFacingError(.badRequest, "The request has no Host header.")
        }
        // The first Host header became `authority`; another one would let a proxy and this server
        // disagree about which host was asked for.
        guard request.headers[Self.hostField] == nil else {
            throw UserFacingError(.badRequest, "The request has more than one Host header; send exactly one.")
        }
        let name = Self.hostName(of: authority)
        guard accepted.contains(name) else {
            throw UserFacingError(
                .misdirectedRequest,
                "This server does not answer to the host '\(name)'. Open it as http://localhost or add the name with --allowed-host.")
        }
        return try await next(request, context)
    }

    /// The host part of `host[:port]` or `[v6]:port`, lower-cased.
    static func hostName(of authority: String) -> String {
        let lower = authority.lowercased()
        if lower.hasPrefix("["), let end = lower.firstIndex(of: "]") {
            return String(lower[...end])
        }
        return String(lower.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
