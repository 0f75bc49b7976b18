/// A person with an account (team mode), or the single implicit learner of personal mode.
public struct User: Sendable, Equatable {
    public let id: String
    public let email: String
    public let passwordHash: String
    public let role: Role
    /// When an administrator disabled the account (seconds since 1970); nil while it may sign in.
    public let disabledAt: Int64?
    public let createdAt: Int64

    public init(id: String, email: String, passwordHash: String, role: Role, disabledAt: Int64? = nil, createdAt: Int64) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.role = role
        self.disabledAt = disabledAt
        self.createdAt = createdAt
    }

    public var isAdmin: Bool { role == .admin }
    public var isDisabled: Bool { disabledAt != nil }
}

/// What a person may do on a team server. Every account has exactly one role.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    /// Manages accounts, invitations and the sign-up mode; sees the audit log.
    case admin
    /// Follows and helps the learners of their cohorts.
    case mentor
    /// Learns: their own progress, notes, runs — nobody else's.
    case learner

    /// How the role is named on pages.
    public var title: String {
        switch self {
        case .admin: "Administrator"
        case .mentor: "Mentor"
        case .learner: "Learner"
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// An account as an administrator sees it in a list: never its password hash.
public struct AccountSummary: Sendable, Equatable, Codable {
    public let id: String
    public let email: String
    public let role: Role
    public let disabled: Bool
    public let createdAt: Int64
    /// When the person last used the server (a page, the API, signing in); nil if never.
    public let lastSeenAt: Int64?

    public init(id: String, email: String, role: Role, disabled: Bool, createdAt: Int64, lastSeenAt: Int64?) {
        self.id = id
        self.email = email
        self.role = role
        self.disabled = disabled
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }
}
