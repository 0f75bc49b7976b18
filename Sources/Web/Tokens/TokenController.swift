import Foundation
import Hummingbird
import Learning
import Storage

/// API tokens: create (the secret is shown once), list, revoke. Only a hash is stored.
struct TokenController {
    let services: TokenServices
    static let prefix = "gw_"

    struct CreateToken: Codable {
        let name: String
    }

    struct CreatedToken: Codable {
        let token: APIToken
        /// The secret to send as `Authorization: Bearer …`; never shown again.
        let secret: String
    }

    struct TokenList: Codable {
        let tokens: [APIToken]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/tokens", use: list)
        group.post("/tokens", use: create)
        group.delete("/tokens/:id", use: revoke)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        return try JSONBody.response(TokenList(tokens: try await services.tokens.list(userID: learner.id)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let body = try await JSONBody.decode(CreateToken.self, from: request, context: context, example: #"{"name": "laptop CLI"}"#)
        let created = try await issue(name: body.name, for: learner)
        return try JSONBody.response(created, status: .created, headers: [.location: "/api/v1/tokens/\(created.token.id)"])
    }

    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let id = context.parameters.get("id") ?? ""
        guard try await services.tokens.revoke(id: id, userID: learner.id) else {
            throw UserFacingError(.notFound, "You have no token with id '\(id)'. GET /api/v1/tokens lists yours.")
        }
        return Response(status: .noContent)
    }

    /// Validates the name, creates the token and returns it with its one-time secret.
    func issue(name: String, for learner: User) async throws -> CreatedToken {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count) else {
            throw UserFacingError(.unprocessableContent, "Give the token a name of 1 to 100 characters, such as 'laptop CLI'.")
        }
        let secret = SecretToken.generate(prefix: Self.prefix)
        let token = try await services.tokens.create(userID: learner.id, name: name, tokenHash: SecretToken.hash(secret))
        return CreatedToken(token: token, secret: secret)
    }
}
