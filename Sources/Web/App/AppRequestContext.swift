import Hummingbird
import Learning
import NIOCore
import Storage

/// Per-request state shared by middleware and routes: who is asking and how they proved it.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    /// How the learner of this request was identified.
    public enum Authentication: Sendable, Equatable {
        case anonymous
        /// Personal mode's implicit learner.
        case personal
        /// A browser session; the stored hash of its cookie token.
        case session(tokenHash: String)
        /// An API token in `Authorization: Bearer …` (not subject to CSRF checks).
        case bearer
    }

    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    public var learner: User?
    public var authentication: Authentication = .anonymous
    /// The token forms must echo back in `_csrf`; set by ``CSRFMiddleware``.
    public var csrfToken: String = ""
    /// The client's address, from the proxy's `X-Forwarded-For` when the proxy is trusted.
    public var clientAddress: String = "unknown"
    /// Questions due for review, for the navigation (set by ``NavigationMiddleware`` on pages).
    public var reviewsDue: Int = 0
    /// The page's path, so the navigation marks where the learner is.
    public var pagePath: String = ""
    /// A one-line message left by the previous response (sign-in, sign-up, sign-out), shown once.
    public var flash: String?

    /// Bodies larger than this are refused with 413 before they are read.
    public var maxUploadSize: Int { 256 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
