import Foundation
import Hummingbird
import Learning
import Storage

/// Works out who is asking: personal mode's implicit learner, an API token
/// (`Authorization: Bearer …`), or a browser session cookie. Sets `context.learner`.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "gw_session"

    let mode: AppConfiguration.Mode
    let personalLearner: User?
    let sessions: any SessionRepository
    let tokens: any TokenRepository
    let activity: ActivityRecorder
    let trustProxy: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = clientAddress(request, context: context)
        if let authorization = request.headers[.authorization] {
            guard authorization.prefix(7).lowercased() == "bearer ",
                let user = try await tokens.user(tokenHash: SecretToken.hash(String(authorization.dropFirst(7).trimmingSpaces)))
            else {
                throw UserFacingError(
                    .unauthorized, "The API token is unknown or has been revoked. Create a new one under Account → API tokens.",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
            guard !user.isDisabled else {
                throw UserFacingError(
                    .unauthorized, "This account has been disabled by an administrator. Ask them to enable it again.",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
            context.learner = user
            context.authentication = .bearer
            await activity.seen(user)
        } else if mode == .personal {
            context.learner = personalLearner
            context.authentication = .personal
        } else if let token = request.cookies[Self.cookieName]?.value {
            let hash = SecretToken.hash(token)
            // A disabled account's sessions are deleted when it is disabled; the check is a second lock.
            if let user = try await sessions.user(tokenHash: hash, now: WallClock.nowSeconds()), !user.isDisabled {
                context.learner = user
                context.authentication = .session(tokenHash: hash)
                await activity.seen(user)
            }
        }
        return try await next(request, context)
    }

    /// The peer's address; behind a trusted proxy, the last address the proxy appended.
    private func clientAddress(_ request: Request, context: Context) -> String {
        if trustProxy, let forwarded = request.headers[.xForwardedFor],
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return last
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The cookie that keeps a browser signed in: not readable by scripts, not sent on cross-site
    /// subrequests, and only over HTTPS when the request came over HTTPS.
    static func cookie(token: String, maxAge: Int, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension StringProtocol {
    /// The text without spaces and tabs at either end (cheaper than Foundation's trimming).
    var trimmingSpaces: SubSequence {
        let isSpace = { (character: Character) in character == " " || character == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        return self[first...last]
    }
}

extension Request {
    /// True when the client reached us over TLS (directly, or as a trusted proxy reports).
    func isSecure(trustProxy: Bool) -> Bool {
        if head.scheme == "https" { return true }
        return trustProxy && headers[.xForwardedProto]?.lowercased() == "https"
    }
}
