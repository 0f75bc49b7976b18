/// One administrative action, kept for good in the audit log: who did what to whom, and when.
/// Names are copied in (not only ids), so an entry stays readable after an account is deleted.
public struct AuditEntry: Sendable, Equatable, Codable {
    public let id: String
    /// Milliseconds since 1970, so actions within one second keep their order.
    public let happenedAt: Int64
    /// The administrator's e-mail address, or "terminal" for `groundwork` commands run on the server.
    public let actor: String
    public let action: AuditAction
    /// The account or invitation acted on, as it was named then; empty when there is none.
    public let target: String
    /// What changed, in words ("learner → mentor").
    public let detail: String

    public init(id: String, happenedAt: Int64, actor: String, action: AuditAction, target: String, detail: String) {
        self.id = id
        self.happenedAt = happenedAt
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
    }
}

/// The kinds of action the audit log records.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case roleChanged = "role-changed"
    case accountDisabled = "account-disabled"
    case accountEnabled = "account-enabled"
    case passwordResetStarted = "password-reset-started"
    case signUpModeChanged = "sign-up-mode-changed"
    case invitationCreated = "invitation-created"
    case invitationRevoked = "invitation-revoked"
    case accountCreated = "account-created"

    public var title: String {
        switch self {
        case .roleChanged: "Role changed"
        case .accountDisabled: "Account disabled"
        case .accountEnabled: "Account enabled"
        case .passwordResetStarted: "Password reset started"
        case .signUpModeChanged: "Sign-up mode changed"
        case .invitationCreated: "Invitation created"
        case .invitationRevoked: "Invitation revoked"
        case .accountCreated: "Account created"
        }
    }
}
