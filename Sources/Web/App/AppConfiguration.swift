import Foundation
import Learning

/// How this Groundwork instance runs; built by the CLI from flags and environment variables.
public struct AppConfiguration: Sendable {
    /// personal: one implicit learner on 127.0.0.1, no sign-in. team: accounts and sessions.
    public enum Mode: String, Sendable, CaseIterable {
        case personal, team
    }

    public var host: String
    public var port: Int
    public var mode: Mode
    /// Host names (without port) the server answers to; requests naming any other Host are refused
    /// (DNS rebinding). localhost, 127.0.0.1, [::1] and `host` are always allowed.
    public var allowedHosts: Set<String>
    /// Trust `X-Forwarded-For` / `X-Forwarded-Proto` (only when a proxy you run sits in front).
    public var trustProxy: Bool
    public var publicDirectory: String
    /// The lab files (`<id>.yaml` and `<id>.md`); the server does not start if one is invalid.
    public var labsDirectory: String
    /// Where the SQL exercises are and where their practice dataset is built.
    public var sqlPractice = SQLPracticeConfiguration()
    /// scrypt cost as log2(N); 15 is the production setting, tests may lower it.
    public var passwordCost: Int
    public var sessionLifetime: TimeInterval
    /// How long a slow client may take over a request's head, its body, and the wait between
    /// requests on one connection (see ``RequestDeadlineHandler``); tests shorten them.
    public var clientTimeouts = ClientTimeouts()
    /// Connections open at once; beyond it, new ones wait in the listen backlog.
    public var maxConnections = 1024
    /// Who may create an account (team mode) until an administrator chooses on the admin page.
    public var signUpMode: SignUpMode = .default

    public init(
        host: String = "127.0.0.1", port: Int = 8080, mode: Mode = .personal, allowedHosts: Set<String> = [],
        trustProxy: Bool = false, publicDirectory: String = "Public", labsDirectory: String = "Content/labs",
        passwordCost: Int = 15, sessionLifetime: TimeInterval = 30 * 24 * 3600
    ) {
        self.host = host
        self.port = port
        self.mode = mode
        self.allowedHosts = allowedHosts
        self.trustProxy = trustProxy
        self.publicDirectory = publicDirectory
        self.labsDirectory = labsDirectory
        self.passwordCost = passwordCost
        self.sessionLifetime = sessionLifetime
    }

    /// Every host name a request may carry in its Host header.
    var acceptedHostNames: Set<String> {
        var names: Set<String> = ["localhost", "127.0.0.1", "[::1]"]
        if !["0.0.0.0", "::"].contains(host) { names.insert(host.lowercased()) }
        return names.union(allowedHosts.map { $0.lowercased() })
    }
}

/// Deadlines for slow clients, in seconds.
public struct ClientTimeouts: Sendable {
    public var head: Double = 10
    public var body: Double = 30
    /// Longer than nginx's 60-second keep-alive to its upstreams, so nginx closes first.
    public var idle: Double = 75

    public init() {}
}
