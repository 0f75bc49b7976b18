import Foundation
import Hummingbird
import Learning
import Storage

/// The account page (team mode): change the password or the e-mail address, see and end
/// sessions, delete the account. Each change needs the current password, so a session left open
/// on a shared computer cannot take the account over.
struct AccountSettingsPages {
    let services: AccountServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account", use: page)
        router.post("/account/password", use: changePassword)
        router.post("/account/email", use: changeEmail)
        router.post("/account/sessions/end-others", use: endOtherSessions)
        router.post("/account/sessions/:id/end", use: endSession)
        router.post("/account/delete", use: deleteAccount)
    }

    struct SessionRow {
        let id: String
        let started: String
        let expires: String
        let current: Bool
    }

    struct Model {
        var notice: String?
        var message: String?
        /// Which form `message` is about, so it shows beside it.
        var messageFor = ""
        let email: String
        let role: String
        let sessions: [SessionRow]
        let hasOtherSessions: Bool
        let isAdmin: Bool
        let minimumLength = AccountRules.minimumPasswordLength
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        return try await render(for: user, context: context, notice: notice)
    }

    static let notices = [
        "password": "Your password has been changed. Every other session of your account has ended.",
        "email": "Your e-mail address has been changed: sign in with the new one from now on.",
        "session": "That session has ended.",
        "sessions": "Every other session of your account has ended.",
    ]

    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        let fields = try await FormFields(request, context: context)
        let new = fields.first("new_password") ?? ""
        if let problem = try await currentPasswordProblem(fields, user: user) {
            return try await render(for: user, context: context, message: problem, about: "password", status: .forbidden)
        }
        if let problem = AccountRules.passwordProblem(new, email: user.email) {
            return try await render(for: user, context: context, message: problem, about: "password", status: .unprocessableContent)
        }
        try await services.users.setPassword(hash: try await services.hasher.hash(new), id: user.id)
        try await services.sessions.deleteAll(userID: user.id, keeping: context.sessionTokenHash)
        return .redirect(to: "/account?notice=password", type: .normal)
    }

    @Sendable func changeEmail(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        let fields = try await FormFields(request, context: context)
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        if let problem = AccountRules.emailProblem(email) {
            return try await render(for: user, context: context, message: problem, about: "email", status: .unprocessableContent)
        }
        if let problem = try await currentPasswordProblem(fields, user: user) {
            return try await render(for: user, context: context, message: problem, about: "email", status: .forbidden)
        }
        guard email != user.email else { return .redirect(to: "/account", type: .normal) }
        try await services.signInLimits.emailChangesPerAccount.enforce(user.id) {
            "You have changed your e-mail address several times lately. Wait \($0) seconds and try again."
        }
        do {
            try await services.users.setEmail(email, id: user.id)
        } catch is EmailTaken {
            return try await render(
                for: user, context: context, message: "That address cannot be used for your account. Choose another.", about: "email",
                status: .conflict)
        }
        return .redirect(to: "/account?notice=email", type: .normal)
    }

    @Sendable func endSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        _ = try await FormFields(request, context: context)
        let id = context.parameters.get("id") ?? ""
        guard try await services.sessions.delete(id: id, userID: user.id) else {
            throw UserFacingError(.notFound, "You have no session with id '\(id)'; it may have ended already. Reload the account page.")
        }
        if let current = context.sessionTokenHash, SessionSummary.id(tokenHash: current) == id {
            return signedOut(request, to: "/")
        }
        return .redirect(to: "/account?notice=session", type: .normal)
    }

    @Sendable func endOtherSessions(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        _ = try await FormFields(request, context: context)
        try await services.sessions.deleteAll(userID: user.id, keeping: context.sessionTokenHash)
        return .redirect(to: "/account?notice=sessions", type: .normal)
    }

    struct DeletedModel {
        let email: String
    }

    /// Deletes the account and everything it owns (the database removes the learner's progress,
    /// quiz history, notes, lab runs, tokens and sessions with it), then signs the browser out.
    @Sendable func deleteAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let user = context.learner else { return .redirect(to: "/signin?next=/account", type: .normal) }
        let fields = try await FormFields(request, context: context)
        if let problem = try await currentPasswordProblem(fields, user: user) {
            return try await render(for: user, context: context, message: problem, about: "delete", status: .forbidden)
        }
        if let problem = AdminRules.problem(.delete, target: user, activeAdmins: try await services.users.activeAdminCount()) {
            return try await render(for: user, context: context, message: problem, about: "delete", status: .conflict)
        }
        try await services.users.delete(id: user.id)
        var signedOutContext = context
        signedOutContext.learner = nil
        var response = services.pages.render(
            "account-deleted", title: "Account deleted", content: DeletedModel(email: user.email),
            context: signedOutContext)
        response.setCookie(SessionMiddleware.cookie(token: "", maxAge: 0, secure: request.isSecure(trustProxy: services.trustProxy)))
        return response
    }

    /// Why the form's `current_password` does not let `user` make a change; nil when it does.
    private func currentPasswordProblem(_ fields: FormFields, user: User) async throws -> String? {
        try await services.signInLimits.passwordChecksPerAccount.enforce(user.id) {
            "Too many password checks on your account lately. Wait \($0) seconds and try again."
        }
        guard try await services.hasher.verify(fields.first("current_password") ?? "", against: user.passwordHash) else {
            return "Your current password is not right. Type the password you sign in with now."
        }
        return nil
    }

    private func signedOut(_ request: Request, to location: String) -> Response {
        var response = Response.redirect(to: location, type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: "", maxAge: 0, secure: request.isSecure(trustProxy: services.trustProxy)))
        return response
    }

    private func render(
        for user: User, context: AppRequestContext, notice: String? = nil, message: String? = nil, about form: String = "",
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened)
        func show(_ seconds: Int64) -> String { Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(format) }
        let current = context.sessionTokenHash.map(SessionSummary.id(tokenHash:))
        let sessions = try await services.sessions.list(userID: user.id, now: WallClock.nowSeconds()).map {
            SessionRow(id: $0.id, started: show($0.createdAt), expires: show($0.expiresAt), current: $0.id == current)
        }
        let model = Model(
            notice: notice, message: message, messageFor: form, email: user.email, role: user.role.title, sessions: sessions,
            hasOtherSessions: sessions.contains { !$0.current }, isAdmin: user.role == .admin)
        return services.pages.render("account", title: "Your account", content: AccountPageContent(model), context: context, status: status)
    }
}

/// The account page's model with one flag per form, as Mustache cannot compare values.
struct AccountPageContent {
    let model: AccountSettingsPages.Model
    let passwordMessage: String?
    let emailMessage: String?
    let deleteMessage: String?

    init(_ model: AccountSettingsPages.Model) {
        self.model = model
        passwordMessage = model.messageFor == "password" ? model.message : nil
        emailMessage = model.messageFor == "email" ? model.message : nil
        deleteMessage = model.messageFor == "delete" ? model.message : nil
    }
}

extension AppRequestContext {
    /// The hash of this request's session token, when a browser session made it.
    var sessionTokenHash: String? {
        if case .session(let hash) = authentication { return hash }
        return nil
    }
}
