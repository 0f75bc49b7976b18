import Hummingbird

/// The correct `blog-api` solution (or one mutant of it): the RealWorld "Conduit" API under
/// `/api` — users and token authentication, profiles and follows, articles with unique slugs,
/// favorites, comments, tags, a feed and pages — with the spec's status codes and error shapes.
struct BlogAPIBackend {
    let mutant: BlogAPIMutant?
    let store: ConduitStore

    /// The shortest password `PUT /api/user` takes, as the official suite expects.
    static let minimumPasswordLength = 8

    init(mutant: BlogAPIMutant?) {
        self.mutant = mutant
        store = ConduitStore(tokensCarryEmail: mutant == .emailInToken, listsOldestFirst: mutant == .oldestFirst)
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        if mutant == .errorsAsList { router.add(middleware: ErrorsAsList()) }
        router.post("/api/users") { request, _ in try await register(request) }
        router.post("/api/users/login") { request, _ in try await login(request) }
        router.get("/api/user") { request, _ in try await currentUser(request) }
        router.put("/api/user") { request, _ in try await updateUser(request) }
        router.get("/api/profiles/:username") { request, context in try await profile(request, context) }
        router.post("/api/profiles/:username/follow") { request, context in
            var response = try await follow(request, context, true)
            if mutant == .follow201 { response.status = .created }
            return response
        }
        router.delete("/api/profiles/:username/follow") { request, context in try await follow(request, context, false) }
        addArticleRoutes(to: router)
        addCommentRoutes(to: router)
        return router
    }

    // MARK: authentication

    /// The token of `Authorization: Token …` (`Bearer` is accepted too); `nil` without the header.
    func token(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1).map(String.init)
        let schemes = mutant == .bearerOnly ? ["bearer"] : ["token", "bearer"]
        guard parts.count == 2, schemes.contains(parts[0].lowercased()) else { return "" }
        return parts[1]
    }

    /// The signed-in user, `nil` for a request without a token; a token that signs nobody in is a 401.
    func viewer(_ request: Request) async throws(ConduitError) -> ConduitUser? {
        guard let token = token(request) else { return nil }
        guard let user = await store.user(token: token) else { throw .unauthorized }
        return user
    }

    func signedIn(_ request: Request) async throws(ConduitError) -> ConduitUser {
        guard let user = try await viewer(request) else {
            throw mutant == .missingToken403 ? ConduitError.forbidden("token") : ConduitError.missingToken
        }
        return user
    }

    var created: HTTPResponse.Status { mutant == .createdAs200 ? .ok : .created }

    // MARK: users

    private func register(_ request: Request) async throws -> Response {
        let fields = try await ConduitJSON.fields(request, wrapper: "user")
        var problems: [String: [String]] = [:]
        let username = mutant == .blankAccepted ? fields.text("username") : fields.required("username", &problems)
        let email = fields.required("email", &problems)
        let password = fields.required("password", &problems)
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        let user = try await store.register(
            username: username, email: email, passwordHash: try PasswordHash.make(password),
            emptyProfile: mutant == .emptyBioAsText ? "" : nil)
        return JSON.response(["user": ConduitJSON.user(user, token: await store.issueToken(for: user))], status: created)
    }

    private func login(_ request: Request) async throws -> Response {
        let fields = try await ConduitJSON.fields(request, wrapper: "user")
        var problems: [String: [String]] = [:]
        let email = fields.required("email", &problems)
        let password = fields.required("password", &problems)
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        guard let user = await store.user(email: email) else {
            try PasswordHash.verifyNothing(password)
            throw ConduitError.badCredentials
        }
        guard try PasswordHash.verify(password, against: user.passwordHash) else {
            throw mutant == .wrongPassword404 ? ConduitError.notFound("user") : ConduitError.badCredentials
        }
        return JSON.response(["user": ConduitJSON.user(user, token: await store.issueToken(for: user))])
    }

    private func currentUser(_ request: Request) async throws -> Response {
        let user = try await signedIn(request)
        return JSON.response(["user": ConduitJSON.user(user, token: token(request) ?? "")])
    }

    private func updateUser(_ request: Request) async throws -> Response {
        let me = try await signedIn(request)
        let fields = try await ConduitJSON.fields(request, wrapper: "user")
        var problems: [String: [String]] = [:]
        let username = fields.change("username", nullable: false, &problems)
        let email = fields.change("email", nullable: false, &problems)
        let password = fields.change("password", nullable: false, &problems)
        let bio = fields.change("bio", nullable: true, &problems)
        let image = fields.change("image", nullable: true, &problems)
        if case .set(let text?) = password, text.count < Self.minimumPasswordLength {
            problems["password"] = ["is too short (minimum is \(Self.minimumPasswordLength) characters)"]
        }
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        var passwordHash: String?
        if case .set(let password?) = password { passwordHash = try PasswordHash.make(password) }
        let replaces = mutant == .updateClearsFields
        let user = try await store.update(userID: me.id) { user in
            if case .set(let value?) = username { user.username = value }
            if case .set(let value?) = email { user.email = value }
            if let passwordHash { user.passwordHash = passwordHash }
            if case .set(let value) = bio { user.bio = value } else if replaces { user.bio = nil }
            if case .set(let value) = image { user.image = value } else if replaces { user.image = nil }
        }
        let answered = store.tokensCarryEmail ? await store.issueToken(for: user) : token(request) ?? ""
        return JSON.response(["user": ConduitJSON.user(user, token: answered)])
    }

    // MARK: profiles

    private func profile(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let viewer = try await viewer(request)
        guard let user = await store.user(username: context.parameters.get("username") ?? "") else { throw ConduitError.notFound("profile") }
        return JSON.response(["profile": ConduitJSON.profile(await store.profile(user, viewer: viewer?.id))])
    }

    private func follow(_ request: Request, _ context: BasicRequestContext, _ on: Bool) async throws -> Response {
        let me = try await signedIn(request)
        guard let user = await store.user(username: context.parameters.get("username") ?? "") else { throw ConduitError.notFound("profile") }
        if mutant == .followNotSaved, on {
            return JSON.response(["profile": ConduitJSON.profile(ProfileView(user: user, following: true))])
        }
        await store.setFollowing(me.id, user.id, on)
        return JSON.response(["profile": ConduitJSON.profile(await store.profile(user, viewer: me.id))])
    }
}
