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
    }

    struct SignInModel {
        var message: String?
        var email = ""
        var next = "/"
    }

    struct SignUpModel {
        var message: String?
        var email = ""
        let minimumLength = AccountRules.minimumPasswordLength
    }

    @Sendable func signInForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = AccountRules.safeNext(request.uri.queryParameters["next"].map(String.init))
        return services.pages.render("signin", title: "Sign in", content: SignInModel(next: next), context: context)
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
        return try await startSession(for: user, request: request, redirectTo: next)
    }

    @Sendable func signUpForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        services.pages.render("signup", title: "Create an account", content: SignUpModel(), context: context)
    }

    /// Sign-up. Valid sign-ups are limited per client address (10 an hour), so accounts cannot be
    /// made, or e-mail addresses probed, in bulk.
    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        let fields = try await FormFields(request, context: context)
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        let password = fields.first("password") ?? ""
        func fail(_ message: String, _ status: HTTPResponse.Status) -> Response {
            services.pages.render(
                "signup", title: "Create an account", content: SignUpModel(message: message, email: email),
                context: context, status: status)
        }
        if let problem = AccountRules.emailProblem(email) { return fail(problem, .unprocessableContent) }
        if let problem = AccountRules.passwordProblem(password, email: email) { return fail(problem, .unprocessableContent) }
        try await services.signInLimits.signUpsPerAddress.enforce(context.clientAddress) {
            "Too many accounts have been created from your address. Wait \($0) seconds and try again."
        }
        do {
            let user = try await services.users.create(email: email, passwordHash: try await services.hasher.hash(password), isAdmin: false)
            return try await startSession(for: user, request: request, redirectTo: "/", flash: .signedUp)
        } catch is EmailTaken {
            return fail("An account with this email already exists. Sign in instead.", .conflict)
        }
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
        let token = SecretToken.generate()
        let lifetime = Int(services.sessionLifetime)
        try await services.sessions.create(tokenHash: SecretToken.hash(token), userID: user.id, expiresAt: WallClock.nowSeconds() + Int64(lifetime))
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: token, maxAge: lifetime, secure: request.isSecure(trustProxy: services.trustProxy)))
        response.setCookie(flash.cookie)
        return response
    }
}
