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
        let next = Self.safeNext(request.uri.queryParameters["next"].map(String.init))
        return services.pages.render("signin", title: "Sign in", content: SignInModel(next: next), context: context)
    }

    @Sendable func signIn(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(try await request.collectBody(upTo: context.maxUploadSize))
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        let password = fields.first("password") ?? ""
        let next = Self.safeNext(fields.first("next"))

        let addressKey = "address:\(context.clientAddress)"
        let accountKey = "account:\(email)"
        for (limit, key) in [(services.signInsPerAddress, addressKey), (services.failuresPerAccount, accountKey)] {
            if let wait = try await limit.retryAfter(key) {
                throw UserFacingError(.tooManyRequests, "Too many sign-in attempts. Wait \(wait) seconds and try again.",
                                      headers: [.retryAfter: String(wait)])
            }
        }
        try await services.signInsPerAddress.record(addressKey)

        let user = try await services.users.find(email: email)
        var valid = false
        if let user {
            valid = try await services.hasher.verify(password, against: user.passwordHash)
        } else {
            try await services.hasher.verifyNothing(password)
        }
        guard let user, valid else {
            try await services.failuresPerAccount.record(accountKey)
            let model = SignInModel(message: "That email and password do not match an account.", email: email, next: next)
            return services.pages.render("signin", title: "Sign in", content: model, context: context, status: .unauthorized)
        }
        try await services.failuresPerAccount.reset(accountKey)
        return try await startSession(for: user, request: request, redirectTo: next)
    }

    @Sendable func signUpForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        services.pages.render("signup", title: "Create an account", content: SignUpModel(), context: context)
    }

    @Sendable func signUp(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = FormFields(try await request.collectBody(upTo: context.maxUploadSize))
        let email = AccountRules.normalizedEmail(fields.first("email") ?? "")
        let password = fields.first("password") ?? ""
        func fail(_ message: String, _ status: HTTPResponse.Status) -> Response {
            services.pages.render("signup", title: "Create an account", content: SignUpModel(message: message, email: email),
                                  context: context, status: status)
        }
        if let problem = AccountRules.emailProblem(email) { return fail(problem, .unprocessableContent) }
        if let problem = AccountRules.passwordProblem(password) { return fail(problem, .unprocessableContent) }
        do {
            let user = try await services.users.create(email: email, passwordHash: try await services.hasher.hash(password), isAdmin: false)
            return try await startSession(for: user, request: request, redirectTo: "/")
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
        return response
    }

    private func startSession(for user: User, request: Request, redirectTo next: String) async throws -> Response {
        let token = SecretToken.generate()
        let lifetime = Int(services.sessionLifetime)
        try await services.sessions.create(tokenHash: SecretToken.hash(token), userID: user.id, expiresAt: WallClock.nowSeconds() + Int64(lifetime))
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(SessionMiddleware.cookie(token: token, maxAge: lifetime, secure: request.isSecure(trustProxy: services.trustProxy)))
        return response
    }

    /// Only local paths, so a crafted link cannot bounce a learner to another site after sign-in.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }
}
