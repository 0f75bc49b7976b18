import Foundation
import Hummingbird
import Learning
import Storage

/// The admin pages (team mode, administrators only): accounts with their roles and last
/// activity, the sign-up mode, invitation links and the audit log. Everything they change goes
/// through ``AccountAdministration``, which checks it and writes the audit log.
struct AdminPages {
    let services: AdminServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/admin", use: users)
        router.post("/admin/sign-up", use: setSignUpMode)
        router.post("/admin/users/:id/role", use: setRole)
        router.post("/admin/users/:id/disable", use: disable)
        router.post("/admin/users/:id/enable", use: enable)
        router.post("/admin/users/:id/reset-password", use: startReset)
        router.get("/admin/invitations", use: invitations)
        router.post("/admin/invitations", use: invite)
        router.post("/admin/invitations/:id/revoke", use: revoke)
        router.get("/admin/audit", use: audit)
    }

    // MARK: Users and sign-up

    @Sendable func users(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        return try await renderUsers(admin: admin, context: context, notice: notice)
    }

    static let notices = [
        "role": "The role has been changed; it applies at once.",
        "disabled": "The account has been disabled: its sessions have ended and its API tokens no longer work.",
        "enabled": "The account has been enabled: its owner can sign in again.",
        "sign-up": "The sign-up mode has been changed.",
        "revoked": "The invitation has been revoked: its link no longer works.",
    ]

    @Sendable func setSignUpMode(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        let value = try await FormFields(request, context: context).first("mode") ?? ""
        guard let mode = SignUpMode(rawValue: value) else {
            throw UserFacingError(.unprocessableContent, "Choose a sign-up mode: open, invitation or closed.")
        }
        try await services.administration.setSignUpMode(mode, by: admin.email)
        return .redirect(to: "/admin?notice=sign-up", type: .normal)
    }

    @Sendable func setRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        let value = try await FormFields(request, context: context).first("role") ?? ""
        guard let role = Role(rawValue: value) else {
            throw UserFacingError(.unprocessableContent, "Choose a role: admin, mentor or learner.")
        }
        let target = try await services.administration.account(context.parameters.get("id") ?? "")
        try await services.administration.setRole(role, of: target, by: admin.email)
        return .redirect(to: "/admin?notice=role", type: .normal)
    }

    @Sendable func disable(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        _ = try await FormFields(request, context: context)
        let target = try await services.administration.account(context.parameters.get("id") ?? "")
        try await services.administration.disable(target, by: admin.email)
        return .redirect(to: "/admin?notice=disabled", type: .normal)
    }

    @Sendable func enable(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        _ = try await FormFields(request, context: context)
        let target = try await services.administration.account(context.parameters.get("id") ?? "")
        try await services.administration.enable(target, by: admin.email)
        return .redirect(to: "/admin?notice=enabled", type: .normal)
    }

    /// Starts a password reset and shows its link to the administrator, to hand to the account's
    /// owner (Groundwork sends no e-mail yet).
    @Sendable func startReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        _ = try await FormFields(request, context: context)
        let target = try await services.administration.account(context.parameters.get("id") ?? "")
        let secret = try await services.administration.startPasswordReset(for: target, by: admin.email)
        let link = ResetLink(email: target.email, url: services.publicURL(request) + "/reset/" + secret)
        return try await renderUsers(admin: admin, context: context, resetLink: link)
    }

    struct UserRow {
        let id: String
        let email: String
        let roles: [RoleOption]
        let role: String
        let disabled: Bool
        let isYou: Bool
        let joined: String
        let lastSeen: String
    }

    struct RoleOption {
        let value: String
        let title: String
        let selected: Bool
    }

    struct ModeOption {
        let value: String
        let title: String
        let explanation: String
        let selected: Bool
    }

    struct ResetLink {
        let email: String
        let url: String
    }

    struct UsersModel {
        let notice: String?
        let resetLink: ResetLink?
        let modes: [ModeOption]
        let users: [UserRow]
        let count: Int
    }

    private func renderUsers(admin: User, context: AppRequestContext, notice: String? = nil, resetLink: ResetLink? = nil) async throws
        -> Response
    {
        let mode = try await services.administration.signUpMode()
        let rows = try await services.administration.accounts().map { account in
            UserRow(
                id: account.id, email: account.email,
                roles: Role.allCases.map { RoleOption(value: $0.rawValue, title: $0.title, selected: $0 == account.role) },
                role: account.role.title, disabled: account.disabled, isYou: account.id == admin.id,
                joined: AdminDates.show(account.createdAt), lastSeen: account.lastSeenAt.map(AdminDates.show) ?? "never")
        }
        let model = UsersModel(
            notice: notice, resetLink: resetLink,
            modes: SignUpMode.allCases.map {
                ModeOption(value: $0.rawValue, title: $0.name, explanation: $0.explanation, selected: $0 == mode)
            }, users: rows,
            count: rows.count)
        return services.pages.render("admin-users", title: "Administration", content: model, context: context)
    }

    // MARK: Invitations

    struct InvitationRow {
        let id: String
        let label: String
        let role: String
        let uses: String
        let expires: String
        let status: String
        let active: Bool
    }

    struct NewInvitation {
        let url: String
        let role: String
        /// How many accounts it may create, in words ("one account").
        let accounts: String
        let expires: String
    }

    struct InvitationsModel {
        let notice: String?
        let message: String?
        let created: NewInvitation?
        let roles: [RoleOption]
        let invitations: [InvitationRow]
        let hasInvitations: Bool
        let signUpClosed: Bool
    }

    @Sendable func invitations(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try Self.administrator(context) != nil else { return Self.signIn(to: request) }
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        return try await renderInvitations(context: context, notice: notice)
    }

    @Sendable func invite(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        let fields = try await FormFields(request, context: context)
        do {
            guard let role = Role(rawValue: fields.first("role") ?? "") else {
                throw UserFacingError(.unprocessableContent, "Choose the role the invitation gives: admin, mentor or learner.")
            }
            guard let days = Int(fields.first("days") ?? ""), (1...90).contains(days) else {
                throw UserFacingError(.unprocessableContent, "Choose how many days the invitation lasts: 1 to 90.")
            }
            let usesText = (fields.first("max_uses") ?? "").trimmingCharacters(in: .whitespaces)
            let maxUses = usesText.isEmpty ? nil : Int(usesText)
            guard usesText.isEmpty || maxUses != nil else {
                throw UserFacingError(
                    .unprocessableContent, "Give the number of accounts the link may create (1 to 1000), or leave it empty for any number.")
            }
            let (invitation, secret) = try await services.administration.invite(
                label: fields.first("label") ?? "", role: role, hours: days * 24, maxUses: maxUses, by: admin)
            let created = NewInvitation(
                url: services.publicURL(request) + "/join/" + secret, role: role.title.lowercased(),
                accounts: maxUses.map { $0 == 1 ? "one account" : "up to \($0) accounts" } ?? "any number of accounts",
                expires: AdminDates.show(invitation.expiresAt))
            return try await renderInvitations(context: context, created: created, status: .created)
        } catch let error as UserFacingError where error.status == .unprocessableContent {
            return try await renderInvitations(context: context, message: error.detail, status: error.status)
        }
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let admin = try Self.administrator(context) else { return Self.signIn(to: request) }
        _ = try await FormFields(request, context: context)
        try await services.administration.revokeInvitation(id: context.parameters.get("id") ?? "", by: admin.email)
        return .redirect(to: "/admin/invitations?notice=revoked", type: .normal)
    }

    static func uses(_ invitation: Invitation) -> String {
        invitation.maxUses.map { "\(invitation.uses) of \($0)" } ?? "\(invitation.uses) (no limit)"
    }

    private func renderInvitations(
        context: AppRequestContext, notice: String? = nil, message: String? = nil, created: NewInvitation? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let now = WallClock.nowSeconds()
        let rows = try await services.administration.invitationList().map { invitation in
            InvitationRow(
                id: invitation.id, label: invitation.label.isEmpty ? "—" : invitation.label, role: invitation.role.title,
                uses: Self.uses(invitation), expires: AdminDates.show(invitation.expiresAt), status: invitation.status(now: now),
                active: invitation.isUsable(now: now))
        }
        let model = InvitationsModel(
            notice: notice, message: message, created: created,
            roles: Role.allCases.reversed().map { RoleOption(value: $0.rawValue, title: $0.title, selected: $0 == .learner) },
            invitations: rows, hasInvitations: !rows.isEmpty, signUpClosed: try await services.administration.signUpMode() == .closed)
        return services.pages.render("admin-invitations", title: "Invitations", content: model, context: context, status: status)
    }

    // MARK: Audit log

    struct AuditRow {
        let when: String
        let actor: String
        let action: String
        let target: String
        let detail: String
    }

    struct AuditModel {
        let entries: [AuditRow]
        let hasEntries: Bool
        let older: String?
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard try Self.administrator(context) != nil else { return Self.signIn(to: request) }
        let beforeText = request.uri.queryParameters["before"].map(String.init)
        let before = beforeText.flatMap { Int64($0) }
        guard beforeText == nil || before != nil else {
            throw UserFacingError(.badRequest, "'before' must be a time in milliseconds, as the 'Older entries' link gives it.")
        }
        let pageSize = 100
        let entries = try await services.administration.auditEntries(limit: pageSize, before: before)
        let rows = entries.map { entry in
            AuditRow(
                when: AdminDates.show(entry.happenedAt / 1000), actor: entry.actor, action: entry.action.title,
                target: entry.target.isEmpty ? "—" : entry.target, detail: entry.detail)
        }
        let older = entries.count == pageSize ? entries.last.map { "/admin/audit?before=\($0.happenedAt)" } : nil
        let model = AuditModel(entries: rows, hasEntries: !rows.isEmpty, older: older)
        return services.pages.render("admin-audit", title: "Audit log", content: model, context: context)
    }

    // MARK: Access

    /// The signed-in administrator; nil when nobody is signed in (the page sends them to sign
    /// in); 403 for anyone else.
    static func administrator(_ context: AppRequestContext) throws -> User? {
        guard let user = context.learner else { return nil }
        guard user.role == .admin else {
            throw UserFacingError(
                .forbidden, "Only administrators can open the admin pages. If you need to manage accounts, ask an administrator to make you one.")
        }
        return user
    }

    static func signIn(to request: Request) -> Response {
        let path = request.method == .get ? request.uri.path : "/admin"
        return .redirect(to: "/signin?next=" + path, type: .normal)
    }
}

/// How the admin pages show times.
enum AdminDates {
    static var format: Date.FormatStyle { Date.FormatStyle(date: .abbreviated, time: .shortened) }

    static func show(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(format)
    }
}

/// What the admin pages use.
struct AdminServices: Sendable {
    let pages: PageRenderer
    let administration: AccountAdministration
    let trustProxy: Bool

    /// The address people reach this server at, as the administrator's own request shows it, for
    /// the links they hand out (the Host header has passed the host check).
    func publicURL(_ request: Request) -> String {
        let scheme = request.isSecure(trustProxy: trustProxy) ? "https" : "http"
        return scheme + "://" + (request.head.authority ?? "localhost")
    }
}
