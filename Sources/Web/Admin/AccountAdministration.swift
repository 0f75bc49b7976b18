import Foundation
import Learning
import Storage

/// What an administrator does to accounts and sign-up — from the admin pages or from
/// `groundwork user` on the server — each step checked by ``AdminRules`` and written to the
/// audit log. One place, so a page and a terminal cannot disagree about what is allowed.
public struct AccountAdministration: Sendable {
    let users: any UserRepository
    let invitations: any InvitationRepository
    let settings: any SettingsRepository
    let resets: any PasswordResetRepository
    let audit: any AuditLogRepository

    /// How long a password-reset link works.
    public static let resetLifetime: Int64 = 24 * 3600

    init(
        users: any UserRepository, invitations: any InvitationRepository, settings: any SettingsRepository,
        resets: any PasswordResetRepository, audit: any AuditLogRepository
    ) {
        self.users = users
        self.invitations = invitations
        self.settings = settings
        self.resets = resets
        self.audit = audit
    }

    /// Administration over `database`, announcing account changes through `notices` (so the
    /// sessions cached by running servers on PostgreSQL drop a disabled account at once).
    public init(database: Database, notices: ChangeNotices) {
        self.init(
            users: AnnouncedUserRepository(SQLUserRepository(database: database), notices: notices),
            invitations: SQLInvitationRepository(database: database), settings: SQLSettingsRepository(database: database),
            resets: AnnouncedPasswordResetRepository(SQLPasswordResetRepository(database: database), notices: notices),
            audit: SQLAuditLogRepository(database: database))
    }

    /// The actor named in the audit log for `groundwork` commands.
    public static let terminal = "terminal"

    public func accounts() async throws -> [AccountSummary] { try await users.list() }

    /// The account with this id or e-mail address; 404 when there is none.
    public func account(_ idOrEmail: String) async throws -> User {
        if let user = try await users.find(id: idOrEmail) { return user }
        if let user = try await users.find(email: AccountRules.normalizedEmail(idOrEmail)) { return user }
        throw UserFacingError(.notFound, "There is no account '\(idOrEmail)'. The user list shows every account.")
    }

    @discardableResult
    public func setRole(_ role: Role, of target: User, by actor: String) async throws -> User {
        guard target.role != role else { return target }
        try await vet(.role(role), target)
        guard let changed = try await users.setRole(role, id: target.id) else { throw gone(target) }
        try await record(actor, .roleChanged, target.email, "\(target.role.rawValue) → \(role.rawValue)")
        return changed
    }

    /// Disables the account: its sessions end and its tokens stop working at once.
    @discardableResult
    public func disable(_ target: User, by actor: String) async throws -> User {
        guard !target.isDisabled else { return target }
        try await vet(.disable, target)
        guard let changed = try await users.setDisabled(at: WallClock.nowSeconds(), id: target.id) else { throw gone(target) }
        try await record(actor, .accountDisabled, target.email, "sessions ended, tokens refused")
        return changed
    }

    @discardableResult
    public func enable(_ target: User, by actor: String) async throws -> User {
        guard target.isDisabled else { return target }
        guard let changed = try await users.setDisabled(at: nil, id: target.id) else { throw gone(target) }
        try await record(actor, .accountEnabled, target.email, "")
        return changed
    }

    /// Starts a password reset: returns the secret for the link `/reset/SECRET`, valid for a day,
    /// replacing any earlier link for the account. The current password keeps working until the
    /// link is used.
    public func startPasswordReset(for target: User, by actor: String) async throws -> String {
        let secret = SecretToken.generate()
        let now = WallClock.nowSeconds()
        try await resets.create(tokenHash: SecretToken.hash(secret), userID: target.id, expiresAt: now + Self.resetLifetime, now: now)
        try await record(actor, .passwordResetStarted, target.email, "link valid for 24 hours")
        return secret
    }

    public func signUpMode() async throws -> SignUpMode { try await settings.signUpMode() }

    public func setSignUpMode(_ mode: SignUpMode, by actor: String) async throws {
        let old = try await settings.signUpMode()
        try await settings.setSignUpMode(mode, now: WallClock.nowSeconds())
        if old != mode { try await record(actor, .signUpModeChanged, "", "\(old.rawValue) → \(mode.rawValue)") }
    }

    public func invitationList() async throws -> [Invitation] { try await invitations.list() }

    /// Makes an invitation; returns it with the secret for the link `/join/SECRET`, shown once.
    public func invite(label: String, role: Role, hours: Int, maxUses: Int?, by actor: User?) async throws -> (Invitation, String) {
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = InvitationRules.problem(label: label, hours: hours, maxUses: maxUses) {
            throw UserFacingError(.unprocessableContent, problem)
        }
        let secret = SecretToken.generate()
        let invitation = try await invitations.create(
            tokenHash: SecretToken.hash(secret), label: label, role: role, maxUses: maxUses,
            expiresAt: WallClock.nowSeconds() + Int64(hours) * 3600, createdBy: actor?.id)
        let uses = maxUses.map { $0 == 1 ? "single use" : "up to \($0) uses" } ?? "any number of uses"
        try await record(
            actor?.email ?? Self.terminal, .invitationCreated, label.isEmpty ? invitation.id : label,
            "\(role.rawValue), \(uses), expires in \(hours) hours")
        return (invitation, secret)
    }

    public func revokeInvitation(id: String, by actor: String) async throws {
        guard let invitation = try await invitations.revoke(id: id, now: WallClock.nowSeconds()) else {
            throw UserFacingError(.notFound, "There is no invitation with id '\(id)'. The invitations page lists them.")
        }
        try await record(actor, .invitationRevoked, invitation.label.isEmpty ? invitation.id : invitation.label, invitation.role.rawValue)
    }

    /// Records an account made from the terminal (`groundwork user create`).
    public func recordCreated(_ user: User, by actor: String) async throws {
        try await record(actor, .accountCreated, user.email, user.role.rawValue)
    }

    public func auditEntries(limit: Int = 200, before: Int64? = nil) async throws -> [AuditEntry] {
        try await audit.entries(limit: limit, before: before)
    }

    private func vet(_ change: AccountChange, _ target: User) async throws {
        if let problem = AdminRules.problem(change, target: target, activeAdmins: try await users.activeAdminCount()) {
            throw UserFacingError(.conflict, problem)
        }
    }

    private func gone(_ target: User) -> UserFacingError {
        UserFacingError(.notFound, "The account \(target.email) no longer exists. Reload the user list.")
    }

    private func record(_ actor: String, _ action: AuditAction, _ target: String, _ detail: String) async throws {
        try await audit.record(actor: actor, action: action, target: target, detail: detail, at: WallClock.nowMilliseconds())
    }
}
