import Hummingbird

/// Articles, favorites, the feed and tags.
extension BlogAPIBackend {
    func addArticleRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/articles") { request, _ in try await list(request, feed: false) }
        if mutant != .feed404 {
            router.get("/api/articles/feed") { request, _ in try await list(request, feed: true) }
        }
        router.post("/api/articles") { request, _ in try await create(request) }
        router.get("/api/articles/:slug") { request, context in
            let viewer = try await viewer(request)
            return try await answer(try await article(context), viewer: viewer?.id)
        }
        router.put("/api/articles/:slug") { request, context in try await update(request, context) }
        router.delete("/api/articles/:slug") { request, context in
            let article = try await ownArticle(request, context)
            await store.deleteArticle(id: article.id)
            return Response(status: .noContent)
        }
        router.post("/api/articles/:slug/favorite") { request, context in try await favorite(request, context, true) }
        router.delete("/api/articles/:slug/favorite") { request, context in try await favorite(request, context, false) }
        router.get("/api/tags") { _, _ in JSON.response(["tags": await store.tags()]) }
    }

    /// The article named by the path's slug, or a 404.
    func article(_ context: BasicRequestContext) async throws(ConduitError) -> ConduitArticle {
        guard let article = await store.article(slug: context.parameters.get("slug") ?? "") else { throw .notFound("article") }
        return article
    }

    private func answer(_ article: ConduitArticle, viewer: Int?, status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let view = await store.view(article, viewer: viewer) else { throw ConduitError.notFound("article") }
        let frozenCount = mutant == .favoritesCountFrozen ? 0 : nil
        return JSON.response(["article": ConduitJSON.article(view, withBody: true, favoritesCount: frozenCount)], status: status)
    }

    private func list(_ request: Request, feed: Bool) async throws -> Response {
        let viewer = feed ? try await signedIn(request) : try await viewer(request)
        let query = request.uri.queryParameters
        var problems: [String: [String]] = [:]
        let limit = Self.number(query["limit"], name: "limit", default: 20, minimum: 1, &problems)
        let offset = Self.number(query["offset"], name: "offset", default: 0, minimum: 0, &problems)
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        var filter = ArticleFilter()
        if feed {
            filter.followedBy = mutant == .feedOfEveryone ? nil : viewer?.id
        } else {
            filter.tag = mutant == .tagFilterIgnored ? nil : query["tag"].map(String.init)
            filter.author = query["author"].map(String.init)
            filter.favoritedBy = query["favorited"].map(String.init)
        }
        let (page, total) = await store.articles(filter, viewer: viewer?.id, limit: limit, offset: offset)
        let frozenCount = mutant == .favoritesCountFrozen ? 0 : nil
        return JSON.response([
            "articles": page.map { ConduitJSON.article($0, withBody: mutant == .listsWithBody, favoritesCount: frozenCount) },
            "articlesCount": mutant == .countIsPageSize ? page.count : total,
        ])
    }

    private func create(_ request: Request) async throws -> Response {
        let me = try await signedIn(request)
        let fields = try await ConduitJSON.fields(request, wrapper: "article")
        var problems: [String: [String]] = [:]
        let title = fields.required("title", &problems)
        let description = fields.required("description", &problems)
        let body = fields.required("body", &problems)
        let tags = fields.tags(&problems)
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        if mutant == .duplicateTitle500, await store.hasArticle(titled: title) {
            return JSON.html(Self.crashPage, status: .internalServerError)
        }
        let article = await store.createArticle(
            title: title, description: description, body: body, tagList: tags ?? [],
            authorID: me.id, uniqueSlug: mutant != .slugFromTitle)
        return try await answer(article, viewer: me.id, status: created)
    }

    private func update(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let article = try await ownArticle(request, context)
        let fields = try await ConduitJSON.fields(request, wrapper: "article")
        var problems: [String: [String]] = [:]
        let title = fields.change("title", nullable: false, &problems)
        let description = fields.change("description", nullable: false, &problems)
        let body = fields.change("body", nullable: false, &problems)
        let tags = fields.tags(&problems)
        guard problems.isEmpty else { throw ConduitError.invalid(problems) }
        let updated = await store.updateArticle(id: article.id, uniqueSlug: mutant != .slugFromTitle) { article in
            if case .set(let value?) = title { article.title = value }
            if case .set(let value?) = description { article.description = value }
            if case .set(let value?) = body { article.body = value }
            if let tags { article.tagList = tags }
        }
        guard let updated else { throw ConduitError.notFound("article") }
        return try await answer(updated, viewer: article.authorID)
    }

    /// The path's article when the signed-in user wrote it: 401 without a user, 404 without the
    /// article, 403 when it is someone else's.
    private func ownArticle(_ request: Request, _ context: BasicRequestContext) async throws -> ConduitArticle {
        let me = try await signedIn(request)
        let article = try await article(context)
        guard article.authorID == me.id || mutant == .othersCanEdit else { throw ConduitError.forbidden("article") }
        return article
    }

    private func favorite(_ request: Request, _ context: BasicRequestContext, _ on: Bool) async throws -> Response {
        let me = try await signedIn(request)
        let article = try await article(context)
        await store.setFavorite(me.id, article.id, on)
        return try await answer(article, viewer: me.id)
    }

    /// What a framework's development error page looks like: a stylesheet first, the error last.
    static let crashPage = """
        <!DOCTYPE html><html><head><title>SequelizeUniqueConstraintError</title>
        <style>body { font-family: monospace; background: #fafafa; } pre { padding: 1em; } .frame { color: #888; }</style>
        </head><body><h1>SequelizeUniqueConstraintError: Validation error</h1>
        <pre>slug must be unique
            at Query.formatError (node_modules/sequelize/lib/dialects/sqlite/query.js:241:16)</pre></body></html>
        """

    /// A whole number from the query, at least `minimum`; a problem for anything else.
    private static func number(_ text: Substring?, name: String, default value: Int, minimum: Int, _ problems: inout [String: [String]]) -> Int {
        guard let text else { return value }
        guard let number = Int(text), number >= minimum else {
            problems[name] = ["must be a whole number, \(minimum) or more"]
            return value
        }
        return number
    }
}
