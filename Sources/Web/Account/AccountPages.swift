import Foundation
import Hummingbird
import Learning
import Storage

/// Sign-up, sign-in and sign-out (team mode only: personal mode has one implicit learner).
struct AccountPages {
    let services: AccountServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/signin", use: signInForm)
        router.post("/signin", use: signIn)
        router.get("/signup", use: signUpForm)
        router.post("/signup", use: signUp)
        router.post("/signout", use: signOut)
        router.get("/join/:token", use: joinForm)
        router.post("/join/:token", use: join)
        router.get("/reset/:token", use: resetForm)
        router.post("/reset/:token", use: reset)
    }

    struct SignInModel {
        var message: String?
        /// Good news from the step before (an account request, a reset), shown above the form.
        var notice: String?
        var email = ""
        var next = "/"
        var signUpOpen = false
    }

    struct SignUpModel {
        var message: String?
        var email = ""
        let minimumLength = AccountRules.minimumPasswordLength
        /// Where the form posts: `/signup`, or the invitation's `/join/…` link.
        var action = "/signup"
        /// For an invitation: the role and label it gives, shown above the form.
        var invitedAs: String?
        var invitationLabel: String?
        /// Why no account can be made here (sign-up closed or invitation-only); the form is hidden.
        var closedReason: String?
    }

    /// What the sign-in page says after one of the steps that lead to it.
    static let notices = [
        "signed-up":
            "Thank you. If that address was new, its account is ready: sign in with the address and password you just chose. If the address already had an account, that account is unchanged: sign in with its own password, or ask an administrator for a password-reset link.",
        "reset": "Your password has been changed, and every session of your account has ended. Sign in with the new password.",
    ]

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = AccountRules.safeNext(request.uri.queryParameters["next"].map(String.init))
        let notice = request.uri.queryParameters["notice"].flatMap { Self.notices[String($0)] }
        let open = try await services.settings.signUpMode() == .open
        return services.pages.render("signin", title: "Sign in", content: SignInModel(notice: notice, next: next, signUpOpen: open), context: context)
    }

    /// Sign-in, limited three ways, each counted atomically before the password is checked (so
    /// attempts sent at once cannot all slip through): 30 attempts per client address in 10
    /// minutes; 5 failures per account *from one address* in 15 minutes (so an attacker elsewhere
    /// cannot lock the owner out); and, once an account has had 10 attempts in 15 minutes from
    /// anywhere, one attempt on it every 2 seconds (a slowdown the owner can still get through).
    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await FormFields(request, context: context)
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        let password = fields.first("password") ?? ""
        let next = AccountRules.safeNext(fields.first("next"))
        let limits = services.signInLimits

        try await limits.perAddress.enforce(context.clientAddress) {
            "Too many sign-in attempts from your address. Wait \($0) seconds and try again."
        }
        let pair = "\(email) \(context.clientAddress)"
        try await limits.failuresPerAccountAndAddress.enforce(pair) {
            "Too many sign-in attempts to this account have failed from your address. Wait \($0) seconds and try again."
        }
        if try await limits.attemptsPerAccount.admit(email) != nil {
            try await limits.spacingUnderAttack.enforce(email) {
                "Too many sign-in attempts to this account lately, so they are spaced out. Wait \($0) seconds and try again."
            }
        }

        let user = try await services.users.find(email: email)
        var valid = false
        if let user {
            valid = try await services.hasher.verify(password, against: user.passwordHash)
        } else {
            try await services.hasher.verifyNothing(password)
        }
        guard let user, valid else {
            let model = SignInModel(message: "That email and password do not match an account.", email: email, next: next)
            return services.pages.render("signin", title: "Sign in", content: model, context: context, status: .unauthorized)
        }
        try await limits.failuresPerAccountAndAddress.reset(pair)
        // Only someone who knows the password learns that the account is disabled.
        guard !user.isDisabled else {
            let model = SignInModel(
                message: "This account has been disabled by an administrator. Ask them to enable it again.", email: email, next: next)
            return services.pages.render("signin", title: "Sign in", content: model, context: context, status: .forbidden)
        }
        return try await startSession(for: user, request: request, redirectTo: next)
    }

    @Sendable func signUpForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let mode = try await services.settings.signUpMode()
        let model = SignUpModel(closedReason: Self.closedReason(mode, invited: false))
        return services.pages.render("signup", title: "Create an account", content: model, context: context)
    }

    /// Why `mode` lets no one sign up here (with an invitation link or without); nil when it does.
    static func closedReason(_ mode: SignUpMode, invited: Bool) -> String? {
        switch mode {
        case .open: nil
        case .invitation where invited: nil
        case .invitation:
            "This server is invitation-only: ask an administrator or your mentor for an invitation link, and open it to create your account."
        case .closed: "This server is not taking new accounts at the moment. If you should have one, ask an administrator to create it for you."
        }
    }

    /// Sign-up, open to anyone only in ``SignUpMode/open``. Valid sign-ups are limited per client
    /// address (10 an hour), so accounts cannot be made in bulk. The answer is the same whether or
    /// not the address already had an account — a redirect to sign in, with a message that names
    /// no address — so sign-up cannot be used to find out who has an account.
    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await FormFields(request, context: context)
        if let reason = Self.closedReason(try await services.settings.signUpMode(), invited: false) {
            return services.pages.render(
                "signup", title: "Create an account", content: SignUpModel(closedReason: reason), context: context, status: .forbidden)
        }
        return try await createAccount(fields, form: SignUpModel(), context: context) { email, hash in
            do {
                _ = try await services.users.create(email: email, passwordHash: hash, role: .learner)
            } catch is EmailTaken {
                // Answered as a new account is: see above.
            }
            return true
        }
    }

    /// The page an invitation link opens: the sign-up form, saying what the invitation gives.
    @Sendable func joinForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (form, invitation) = try await invitationForm(context)
        guard invitation != nil || form.closedReason != nil else { throw Self.unusableInvitation }
        return services.pages.render(
            "signup", title: "Accept an invitation", content: form, context: context,
            status: form.closedReason == nil ? .ok : .forbidden)
    }

    /// Creates an account through an invitation link, with the invitation's role. As on
    /// ``signUp(_:context:)``, an address that already has an account gets the same answer.
    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await FormFields(request, context: context)
        let (form, invitation) = try await invitationForm(context)
        if form.closedReason != nil {
            return services.pages.render("signup", title: "Accept an invitation", content: form, context: context, status: .forbidden)
        }
        guard invitation != nil else { throw Self.unusableInvitation }
        let tokenHash = SecretToken.hash(context.parameters.get("token") ?? "")
        return try await createAccount(fields, form: form, context: context) { email, hash in
            try await services.invitations.redeem(tokenHash: tokenHash, email: email, passwordHash: hash, now: WallClock.nowSeconds()) != .unusable
        }
    }

    /// 410: the link leads nowhere now (and the not-found page's hints about topics would mislead).
    static let unusableInvitation = UserFacingError(
        .gone,
        "This invitation link cannot be used: it may have expired, been used up or been revoked, or it was copied incompletely. Ask the person who sent it for a new one."
    )

    /// The sign-up form for the invitation in the request's link, and the invitation if it can be
    /// used; the form says why not when sign-up is closed.
    private func invitationForm(_ context: AppRequestContext) async throws -> (SignUpModel, Invitation?) {
        let token = context.parameters.get("token") ?? ""
        var form = SignUpModel(action: "/join/" + token)
        if let reason = Self.closedReason(try await services.settings.signUpMode(), invited: true) {
            form.closedReason = reason
            return (form, nil)
        }
        guard let invitation = try await services.invitations.find(tokenHash: SecretToken.hash(token)),
            invitation.isUsable(now: WallClock.nowSeconds())
        else { return (form, nil) }
        form.invitedAs = invitation.role.title.lowercased()
        form.invitationLabel = invitation.label.isEmpty ? nil : invitation.label
        return (form, invitation)
    }

    /// Validates the form, counts the sign-up against the address's limit, hashes the password and
    /// lets `create` store the account (false: the invitation could not be used). Answers with the
    /// form and its problem, or with the one redirect every stored or refused address gets.
    private func createAccount(
        _ fields: FormFields, form: SignUpModel, context: AppRequestContext,
        create: (String, String) async throws -> Bool
    ) async throws -> Response {
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        let password = fields.first("password") ?? ""
        var form = form
        form.email = email
        func fail(_ message: String) -> Response {
            form.message = message
            return services.pages.render("signup", title: "Create an account", content: form, context: context, status: .unprocessableContent)
        }
        if let problem = AccountRules.emailProblem(email) { return fail(problem) }
        if let problem = AccountRules.passwordProblem(password, email: email) { return fail(problem) }
        try await services.signInLimits.signUpsPerAddress.enforce(context.clientAddress) {
            "Too many accounts have been created from your address. Wait \($0) seconds and try again."
        }
        guard try await create(email, try await services.hasher.hash(password)) else { throw Self.unusableInvitation }
        return .redirect(to: "/signin?notice=signed-up", type: .normal)
    }

    struct ResetModel {
        var message: String?
        let email: String
        let action: String
        let minimumLength = AccountRules.minimumPasswordLength
    }

    static let unusableReset = UserFacingError(
        .gone,
        "This password-reset link cannot be used: it has expired, has been used already, or was replaced by a newer one. Ask an administrator for a new link."
    )

    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let user = try await services.resets.user(tokenHash: SecretToken.hash(token), now: WallClock.nowSeconds()) else {
            throw Self.unusableReset
        }
        let model = ResetModel(email: user.email, action: "/reset/" + token)
        return services.pages.render("reset-password", title: "Choose a new password", content: model, context: context)
    }

    /// Sets the new password from a reset link; every session of the account ends.
    @Sendable func reset(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let password = try await FormFields(request, context: context).first("password") ?? ""
        let tokenHash = SecretToken.hash(token)
        guard let user = try await services.resets.user(tokenHash: tokenHash, now: WallClock.nowSeconds()) else { throw Self.unusableReset }
        if let problem = AccountRules.passwordProblem(password, email: user.email) {
            let model = ResetModel(message: problem, email: user.email, action: "/reset/" + token)
            return services.pages.render(
                "reset-password", title: "Choose a new password", content: model, context: context,
                status: .unprocessableContent)
        }
        let hash = try await services.hasher.hash(password)
        guard try await services.resets.complete(tokenHash: tokenHash, passwordHash: hash, now: WallClock.nowSeconds()) != nil else {
            throw Self.unusableReset
        }
        return .redirect(to: "/signin?notice=reset", type: .normal)
    }

    @Sendable func signOut(_ request: Request, context: AppRequestContext) async throws -> Response {
        if case .session(let hash) = context.authentication {
            try await services.sessions.delete(tokenHash: hash)
        }
        var response = Response.redirect(to: "/", type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: "", maxAge: 0, secure: request.isSecure(trustProxy: services.trustProxy)))
        response.setCookie(Flash.signedOut.cookie)
        return response
    }

    private func startSession(for user: User, request: Request, redirectTo next: String, flash: Flash = .signedIn) async throws -> Response {
        await services.activity.seen(user)
        let token = SecretToken.generate()
        let lifetime = Int(services.sessionLifetime)
        try await services.sessions.create(tokenHash: SecretToken.hash(token), userID: user.id, expiresAt: WallClock.nowSeconds() + Int64(lifetime))
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: token, maxAge: lifetime, secure: request.isSecure(trustProxy: services.trustProxy)))
        response.setCookie(flash.cookie)
        return response
    }
}
