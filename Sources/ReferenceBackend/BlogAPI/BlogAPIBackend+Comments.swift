import Hummingbird

/// Comments on articles.
extension BlogAPIBackend {
    func addCommentRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/articles/:slug/comments") { request, context in
            let viewer = try await viewer(request)
            let article = try await article(context)
            let comments = await store.comments(articleID: mutant == .commentsOfEveryArticle ? nil : article.id, viewer: viewer?.id)
            return JSON.response(["comments": comments.map { ConduitJSON.comment($0.comment, author: $0.author) }])
        }
        router.post("/api/articles/:slug/comments") { request, context in
            let me = try await signedIn(request)
            let article = try await article(context)
            let fields = try await ConduitJSON.fields(request, wrapper: "comment")
            var problems: [String: [String]] = [:]
            let body = fields.required("body", &problems)
            guard problems.isEmpty else { throw ConduitError.invalid(problems) }
            let comment = await store.addComment(body: body, articleID: article.id, authorID: me.id)
            let author = await store.profile(me, viewer: me.id)
            return JSON.response(["comment": ConduitJSON.comment(comment, author: author)], status: created)
        }
        router.delete("/api/articles/:slug/comments/:id") { request, context in
            let me = try await signedIn(request)
            let article = try await article(context)
            guard let comment = await store.comment(id: context.parameters.get("id").flatMap { Int($0) } ?? 0),
                comment.articleID == article.id
            else { throw ConduitError.notFound("comment") }
            guard comment.authorID == me.id else { throw ConduitError.forbidden("comment") }
            await store.deleteComment(id: comment.id)
            return Response(status: .noContent)
        }
    }
}
