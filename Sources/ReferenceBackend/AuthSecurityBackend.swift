import Foundation
import Hummingbird

/// Plausible bugs in an `auth-security` solution, each caught by one stage.
enum AuthSecurityMutant: String, MutantCase {
    case returnsPasswordHash = "returns-password-hash"
    case userEnumeration = "user-enumeration"
    case noOwnerCheck = "no-owner-check"
    case signatureNotChecked = "signature-not-checked"
    case expiryNotChecked = "expiry-not-checked"
    case corsReflectsAnyOrigin = "cors-reflects-any-origin"
    case noLoginLimit = "no-login-limit"
    case limitWithoutRetryAfter = "limit-without-retry-after"
    case limitSparesRightPassword = "limit-spares-right-password"
    case headersOnlyOnSuccess = "headers-only-on-success"
    case searchBreaksOnQuote = "search-breaks-on-quote"
    case loginSQLTautology = "login-sql-tautology"

    var stage: String {
        switch self {
        case .returnsPasswordHash: "signup"
        case .userEnumeration: "login"
        case .noOwnerCheck: "protected"
        case .signatureNotChecked, .expiryNotChecked: "tokens"
        case .corsReflectsAnyOrigin: "cors"
        case .noLoginLimit, .limitWithoutRetryAfter, .limitSparesRightPassword: "rate-limit"
        case .headersOnlyOnSuccess: "headers"
        case .searchBreaksOnQuote, .loginSQLTautology: "injection"
        }
    }

    var bug: String {
        switch self {
        case .returnsPasswordHash: "the new user is answered as stored, password hash included"
        case .userEnumeration: "an unknown username answers 401 'no such user', a wrong password 'wrong password': attackers learn who has an account"
        case .noOwnerCheck: "any signed-in user can read any note by its id"
        case .signatureNotChecked: "the token's payload is decoded without checking its signature, so a tampered token is accepted"
        case .expiryNotChecked: "the token's expiry is never checked"
        case .corsReflectsAnyOrigin: "Access-Control-Allow-Origin echoes whatever Origin the request has"
        case .noLoginLimit: "logins are never limited, so passwords can be guessed at full speed"
        case .limitWithoutRetryAfter: "too many logins answer 429 without Retry-After"
        case .limitSparesRightPassword: "the limit is checked only after a wrong password, so a guesser still learns when a guess is right"
        case .headersOnlyOnSuccess: "security headers are added to successful answers only, not to errors"
        case .searchBreaksOnQuote: "the search text is pasted into SQL, so a quote breaks the query (500)"
        case .loginSQLTautology: "the login query is built by pasting text into SQL, so ' OR '1'='1 signs in as the first user"
        }
    }
}

/// The correct `auth-security` solution (or one mutant of it): sign-up and login with hashed
/// passwords and signed, expiring tokens; private notes with owner checks; CORS for one origin;
/// a login rate limit per username; security headers on every answer; and no query built from text.
struct AuthSecurityBackend {
    let mutant: AuthSecurityMutant?

    /// The one origin allowed to call this API from a browser.
    static let allowedOrigin = "https://app.example.com"

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware(onErrorsToo: mutant != .headersOnlyOnSuccess))
        router.add(middleware: CORSPolicyMiddleware(allowedOrigin: Self.allowedOrigin, reflectsAnyOrigin: mutant == .corsReflectsAnyOrigin))
        let routes = Routes(router: router)
        let store = AuthStore(mutant: mutant)
        let tokens = TokenSigner(checksSignature: mutant != .signatureNotChecked, checksExpiry: mutant != .expiryNotChecked)
        routes.add("/signup", [.post: { request, _ in try await signup(request, store: store) }])
        routes.add("/login", [.post: { request, _ in try await login(request, store: store, tokens: tokens) }])
        routes.add("/me", [.get: { request, _ in try await me(request, store: store, tokens: tokens) }])
        routes.add(
            "/notes",
            [
                .get: { request, _ in try await search(request, store: store, tokens: tokens) },
                .post: { request, _ in try await createNote(request, store: store, tokens: tokens) },
            ])
        routes.add("/notes/:id", [.get: { request, context in try await readNote(request, context: context, store: store, tokens: tokens) }])
        return router
    }

    // MARK: accounts

    private func signup(_ request: Request, store: AuthStore) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        let username = try fields.text("username", maxLength: 30)
        guard username.wholeMatch(of: /[A-Za-z0-9_.\-]{3,30}/) != nil else {
            throw RequestProblem(.unprocessableContent, "'username' must be 3 to 30 letters, digits, '.', '_' or '-'")
        }
        guard case .text(let password) = fields["password"], password.count >= 8 else {
            throw RequestProblem(.unprocessableContent, "'password' must be a text of at least 8 characters")
        }
        let user = try await store.signUp(username: username, password: password)
        var json = user.json
        if mutant == .returnsPasswordHash { json["password_hash"] = user.passwordHash }
        return JSON.response(json, status: .created)
    }

    private func login(_ request: Request, store: AuthStore, tokens: TokenSigner) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        guard case .text(let username) = fields["username"], case .text(let password) = fields["password"] else {
            throw RequestProblem(.unprocessableContent, "Send 'username' and 'password'")
        }
        let lifetime = try fields.wholeNumber("ttl_seconds", in: 1...86_400) ?? 3600
        let user = try await store.logIn(username: username, password: password)
        return JSON.response(["token": tokens.token(for: user, lifetime: lifetime), "expires_in": lifetime])
    }

    private func me(_ request: Request, store: AuthStore, tokens: TokenSigner) async throws -> Response {
        let user = try await signedIn(request, store: store, tokens: tokens)
        return JSON.response(user.json)
    }

    // MARK: notes

    private func createNote(_ request: Request, store: AuthStore, tokens: TokenSigner) async throws -> Response {
        let user = try await signedIn(request, store: store, tokens: tokens)
        let text = try await JSONRequestBody.object(request).text("text", maxLength: 2000)
        let note = await store.addNote(text: text, owner: user.id)
        return JSON.response(note.json, status: .created, headers: [.location: "/notes/\(note.id)"])
    }

    private func readNote(_ request: Request, context: BasicRequestContext, store: AuthStore, tokens: TokenSigner) async throws -> Response {
        let user = try await signedIn(request, store: store, tokens: tokens)
        guard let id = context.parameters.get("id").flatMap({ Int($0) }), let note = await store.note(id) else {
            throw RequestProblem(.notFound, "There is no such note")
        }
        guard note.owner == user.id || mutant == .noOwnerCheck else {
            throw RequestProblem(.forbidden, "This note belongs to someone else")
        }
        return JSON.response(note.json)
    }

    /// The caller's notes whose text contains `q`, ignoring case: a parameter, never pasted into a query.
    private func search(_ request: Request, store: AuthStore, tokens: TokenSigner) async throws -> Response {
        let user = try await signedIn(request, store: store, tokens: tokens)
        let text = request.uri.queryParameters["q"].map(String.init) ?? ""
        if mutant == .searchBreaksOnQuote, text.contains("'") {
            throw RequestProblem(.internalServerError, "SQLITE_ERROR: unrecognized token: \"'\"")
        }
        let notes = await store.notes(of: user.id, containing: text)
        return JSON.response(["items": notes.map(\.json)])
    }

    // MARK: helpers

    /// The user whose valid token the request carries, or 401.
    private func signedIn(_ request: Request, store: AuthStore, tokens: TokenSigner) async throws -> AuthUser {
        let authorization = request.headers[.authorization] ?? ""
        guard authorization.hasPrefix("Bearer "), let id = tokens.userID(in: String(authorization.dropFirst(7))),
            let user = await store.user(id)
        else {
            throw RequestProblem(.unauthorized, "Sign in: send 'Authorization: Bearer TOKEN' with a token from POST /login")
        }
        return user
    }
}
