/// Who may create an account on a team server, set by an administrator.
public enum SignUpMode: String, Sendable, Codable, CaseIterable {
    /// Anyone may sign up (as a learner); invitation links work too.
    case open
    /// Only through an invitation link. The default for a new team server.
    case invitation
    /// No new accounts from the web at all (not even by invitation); `groundwork user create` still works.
    case closed

    /// The mode of a team server on which no administrator has chosen one yet.
    public static let `default` = SignUpMode.invitation

    /// The mode's short name.
    public var name: String {
        switch self {
        case .open: "Open"
        case .invitation: "Invitation only"
        case .closed: "Closed"
        }
    }

    /// What the mode means for someone who wants an account.
    public var explanation: String {
        switch self {
        case .open: "anyone may create a learner account; invitation links work too"
        case .invitation: "only through an invitation link"
        case .closed: "no new accounts from the web, not even by invitation (the terminal can still create them)"
        }
    }

    /// The mode in one line: its name and what it means.
    public var title: String { name + ": " + explanation }
}

/// An invitation link as an administrator sees it in a list: never its secret, which is shown
/// once when it is made (only a hash is stored, like tokens and sessions).
public struct Invitation: Sendable, Equatable, Codable {
    public let id: String
    /// What the administrator wrote to recognise it ("Spring cohort mentors").
    public let label: String
    public let role: Role
    /// How many accounts it may create; nil for any number until it expires.
    public let maxUses: Int?
    public let uses: Int
    public let expiresAt: Int64
    public let createdAt: Int64
    public let revoked: Bool

    public init(id: String, label: String, role: Role, maxUses: Int?, uses: Int, expiresAt: Int64, createdAt: Int64, revoked: Bool) {
        self.id = id
        self.label = label
        self.role = role
        self.maxUses = maxUses
        self.uses = uses
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.revoked = revoked
    }

    /// Whether it can still create an account at `now`.
    public func isUsable(now: Int64) -> Bool {
        !revoked && expiresAt > now && (maxUses.map { uses < $0 } ?? true)
    }

    /// One word for its state, for lists.
    public func status(now: Int64) -> String {
        if revoked { return "revoked" }
        if expiresAt <= now { return "expired" }
        if let maxUses, uses >= maxUses { return "used up" }
        return "active"
    }
}

/// What an invitation may be: checked before one is stored, the same for the page, the API and the CLI.
public enum InvitationRules {
    public static let maxLabelLength = 100
    /// An invitation lasts from one hour to 90 days.
    public static let lifetimeHours = 1...(90 * 24)
    /// A link for a whole cohort may create up to 1000 accounts; "any number" is nil.
    public static let useLimit = 1...1000

    /// Why these settings cannot make an invitation, in words the administrator can act on; nil when they can.
    public static func problem(label: String, hours: Int, maxUses: Int?) -> String? {
        if label.count > maxLabelLength { return "Keep the label to \(maxLabelLength) characters or fewer." }
        if label.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return "The label cannot contain control or formatting characters (line breaks, NUL, direction marks)."
        }
        if !lifetimeHours.contains(hours) { return "An invitation lasts from 1 hour to 90 days (2160 hours): choose a lifetime in that range." }
        if let maxUses, !useLimit.contains(maxUses) {
            return "An invitation may be used from 1 to 1000 times, or any number of times until it expires."
        }
        return nil
    }
}

/// What an administrator may do to an account, so that a server always keeps an administrator
/// who can sign in: the last active admin can be neither demoted, disabled nor deleted.
public enum AdminRules {
    /// Why `change` cannot be made to `target` when the server has `activeAdmins` active
    /// administrators; nil when it can.
    public static func problem(_ change: AccountChange, target: User, activeAdmins: Int) -> String? {
        let removesAnAdmin: Bool
        switch change {
        case .role(let role): removesAnAdmin = target.role == .admin && role != .admin && !target.isDisabled
        case .disable, .delete: removesAnAdmin = target.role == .admin && !target.isDisabled
        case .enable: removesAnAdmin = false
        }
        if removesAnAdmin && activeAdmins <= 1 {
            return
                "\(target.email) is the only active administrator: make another account an administrator first, so someone can still manage this server."
        }
        return nil
    }
}

/// A change to an account that ``AdminRules`` vets.
public enum AccountChange: Sendable, Equatable {
    case role(Role)
    case disable
    case enable
    case delete
}
