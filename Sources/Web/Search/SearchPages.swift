import Hummingbird

/// `/search?q=` and `GET /api/v1/search?q=`: the content, and the asker's own notes, ranked by
/// the database's full-text search. Any text is a query: punctuation and operators are words.
struct SearchPages {
    let services: SearchServices

    /// The API's answer: the query as given, and the results, best first.
    struct Results: Codable {
        let query: String
        let results: [SearchResult]
    }

    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        router.get("/search", use: page)
        api.get("/search", use: search)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters.get("q") ?? ""
        let results = try await services.search(query, learnerID: context.learner?.id)
        let title = query.isEmpty ? "Search" : "Search: \(query)"
        return services.pages.render("search", title: title, content: SearchPageModel(query: query, results: results), context: context)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters.get("q") ?? ""
        return try JSONBody.response(Results(query: query, results: try await services.search(query, learnerID: context.learner?.id)))
    }
}
