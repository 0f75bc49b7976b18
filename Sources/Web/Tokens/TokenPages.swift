import Foundation
import Hummingbird
import Learning
import Storage

/// The API tokens page: create a token (its secret shown once), see and revoke the others.
struct TokenPages {
    let services: TokenServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/account/tokens", use: page)
        router.post("/account/tokens", use: create)
        router.get("/account/tokens/:id/revoke", use: confirmRevoke)
        router.post("/account/tokens/:id/revoke", use: revoke)
    }

    struct TokenRow {
        let id: String
        let name: String
        let created: String
        let lastUsed: String
    }

    /// Mustache reads stored properties only, so `hasTokens` is stored, not computed.
    struct Model {
        let newToken: String?
        let newTokenName: String?
        let message: String?
        let tokens: [TokenRow]
        let hasTokens: Bool

        init(newToken: String? = nil, newTokenName: String? = nil, message: String? = nil, tokens: [TokenRow]) {
            self.newToken = newToken
            self.newTokenName = newTokenName
            self.message = message
            self.tokens = tokens
            self.hasTokens = !tokens.isEmpty
        }
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/account/tokens", type: .normal) }
        return try await render(Model(tokens: try await rows(for: learner)), context: context)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/account/tokens", type: .normal) }
        let name = try await FormFields(request, context: context).first("name") ?? ""
        do {
            let created = try await TokenController(services: services).issue(name: name, for: learner)
            let model = Model(newToken: created.secret, newTokenName: created.token.name, tokens: try await rows(for: learner))
            return try await render(model, context: context, status: .created)
        } catch let error as UserFacingError {
            return try await render(Model(message: error.detail, tokens: try await rows(for: learner)), context: context, status: error.status)
        }
    }

    struct ConfirmModel {
        let id: String
        let name: String
        let lastUsed: String
    }

    /// Asks before revoking: scripts that use the token stop working, and it cannot be undone.
    @Sendable func confirmRevoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/account/tokens", type: .normal) }
        let id = context.parameters.get("id") ?? ""
        guard let row = try await rows(for: learner).first(where: { $0.id == id }) else {
            throw UserFacingError(.notFound, "You have no token with id '\(id)'; it may have been revoked already. The API tokens page lists yours.")
        }
        return services.pages.render(
            "token-revoke", title: "Revoke a token", content: ConfirmModel(id: row.id, name: row.name, lastUsed: row.lastUsed), context: context)
    }

    /// Revokes once the form confirms it (`confirm=yes`, sent by the confirmation page); without
    /// it, shows the confirmation page instead.
    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/account/tokens", type: .normal) }
        let id = context.parameters.get("id") ?? ""
        guard try await FormFields(request, context: context).first("confirm") == "yes" else {
            return try await confirmRevoke(request, context: context)
        }
        guard try await services.tokens.revoke(id: id, userID: learner.id) else {
            throw UserFacingError(.notFound, "You have no token with id '\(id)'; it may have been revoked already.")
        }
        return .redirect(to: "/account/tokens", type: .normal)
    }

    private func render(_ model: Model, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        services.pages.render("tokens", title: "API tokens", content: model, context: context, status: status)
    }

    private func rows(for learner: User) async throws -> [TokenRow] {
        let format = Date.FormatStyle(date: .abbreviated, time: .shortened)
        func show(_ seconds: Int64) -> String { Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(format) }
        return try await services.tokens.list(userID: learner.id).map {
            TokenRow(id: $0.id, name: $0.name, created: show($0.createdAt), lastUsed: $0.lastUsedAt.map(show) ?? "never")
        }
    }
}
