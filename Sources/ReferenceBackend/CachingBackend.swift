import Foundation
import Hummingbird

/// Plausible bugs in a `caching` solution, each caught by one stage.
enum CachingMutant: String, MutantCase {
    case ifNoneMatchIgnored = "if-none-match-ignored"
    case lastModifiedISO = "last-modified-iso"
    case ifModifiedSinceIgnored = "if-modified-since-ignored"
    case profilePublic = "profile-public"
    case etagFromID = "etag-from-id"
    case reportUncached = "report-uncached"
    case reportNeverInvalidated = "report-never-invalidated"
    case noVary = "no-vary"
    case oneETagForAll = "one-etag-for-all"

    var stage: String {
        switch self {
        case .ifNoneMatchIgnored: "etag"
        case .lastModifiedISO, .ifModifiedSinceIgnored: "last-modified"
        case .profilePublic: "cache-control"
        case .etagFromID: "updates"
        case .reportUncached, .reportNeverInvalidated: "slow-report"
        case .noVary, .oneETagForAll: "vary"
        }
    }

    var bug: String {
        switch self {
        case .ifNoneMatchIgnored: "an ETag is sent, but If-None-Match is never looked at, so every answer is a full 200"
        case .lastModifiedISO: "Last-Modified is written as ISO 8601 (2024-05-01T10:00:00Z) instead of an HTTP date"
        case .ifModifiedSinceIgnored: "Last-Modified is sent, but If-Modified-Since never leads to a 304"
        case .profilePublic: "the per-user /me answer is marked 'public, max-age=60', so a shared cache could hand it to someone else"
        case .etagFromID: "the ETag is made from the id alone, so after an update the old ETag still gets a 304 and the client keeps stale data"
        case .reportUncached: "the slow report is computed again for every request"
        case .reportNeverInvalidated: "the report is cached but never dropped when the article changes, so it serves stale numbers"
        case .noVary: "JSON and text answers for the same URL carry no 'Vary: Accept', so a cache may serve one for the other"
        case .oneETagForAll: "the JSON and the text representation share one ETag, so a 304 can confirm the wrong one"
        }
    }
}

/// The correct `caching` solution (or one mutant of it): articles with ETag and Last-Modified and
/// the conditional requests they allow, Cache-Control that fits public and per-user data, a slow
/// report cached until its article changes, and content negotiation announced with Vary.
struct CachingBackend {
    let mutant: CachingMutant?

    /// How long the report takes when it is not cached: deliberately slow, as the lab asks.
    static let reportDelay = Duration.milliseconds(350)

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let routes = Routes(router: router)
        let store = ArticleStore(keepReportsOnChange: mutant == .reportNeverInvalidated)
        routes.add("/articles", [.post: { request, _ in try await create(request, store: store) }])
        routes.add(
            "/articles/:id",
            [
                .get: { request, context in try await read(request, context: context, store: store) },
                .put: { request, context in try await replace(request, context: context, store: store) },
            ])
        routes.add("/articles/:id/stats", [.get: { _, context in try await stats(context, store: store) }])
        routes.add("/me", [.get: { request, _ in try profile(request) }])
        return router
    }

    // MARK: handlers

    private func create(_ request: Request, store: ArticleStore) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        let article = await store.create(title: try fields.text("title"), body: try fields.text("body", maxLength: 10_000))
        var headers = validators(article, text: false)
        headers[.location] = "/articles/\(article.id)"
        return JSON.response(article.json, status: .created, headers: headers)
    }

    private func read(_ request: Request, context: BasicRequestContext, store: ArticleStore) async throws -> Response {
        guard let article = await store.article(try articleID(context)) else { throw notFound(context) }
        let text = Self.prefersText(request.headers[.accept] ?? "")
        var headers = validators(article, text: text)
        headers[.cacheControl] = "public, max-age=60"
        if mutant != .noVary { headers[.vary] = "Accept" }
        if notModified(request, article: article, etag: headers[.eTag] ?? "") {
            return Response(status: .notModified, headers: headers)
        }
        if text {
            headers[.contentType] = "text/plain; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "\(article.title)\n\n\(article.body)\n")))
        }
        return JSON.response(article.json, headers: headers)
    }

    private func replace(_ request: Request, context: BasicRequestContext, store: ArticleStore) async throws -> Response {
        let id = try articleID(context)
        let fields = try await JSONRequestBody.object(request)
        let title = try fields.text("title")
        let body = try fields.text("body", maxLength: 10_000)
        guard let article = await store.replace(id, title: title, body: body) else { throw notFound(context) }
        return JSON.response(article.json, headers: validators(article, text: false))
    }

    private func stats(_ context: BasicRequestContext, store: ArticleStore) async throws -> Response {
        let id = try articleID(context)
        if mutant != .reportUncached, let cached = await store.cachedReport(id) { return JSON.response(cached.json) }
        guard let article = await store.article(id) else { throw notFound(context) }
        try await Task.sleep(for: Self.reportDelay)
        let report = ArticleReport(id: id, words: article.body.split(whereSeparator: \.isWhitespace).count, version: article.version)
        await store.keep(report)
        return JSON.response(report.json)
    }

    /// The caller's own data: whoever holds the token is the user (authentication is another lab's subject).
    private func profile(_ request: Request) throws -> Response {
        let authorization = request.headers[.authorization] ?? ""
        let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
        guard !token.isEmpty else { throw RequestProblem(.unauthorized, "Send 'Authorization: Bearer TOKEN'") }
        let cacheControl = mutant == .profilePublic ? "public, max-age=60" : "private, no-store"
        return JSON.response(["user": token], headers: [.cacheControl: cacheControl])
    }

    // MARK: validators

    /// ETag and Last-Modified of one representation of `article`.
    private func validators(_ article: Article, text: Bool) -> HTTPFields {
        let etag =
            switch mutant {
            case .etagFromID: "\"\(article.id)\""
            case .oneETagForAll: "\"\(article.id)-\(article.version)\""
            default: "\"\(article.id)-\(article.version)-\(text ? "text" : "json")\""
            }
        let modified = mutant == .lastModifiedISO ? ISO8601DateFormatter().string(from: article.modified) : HTTPDateFormat.format(article.modified)
        return [.eTag: etag, .lastModified: modified]
    }

    /// If-None-Match wins when present (any listed ETag, or `*`); otherwise If-Modified-Since, to the second.
    private func notModified(_ request: Request, article: Article, etag: String) -> Bool {
        if let ifNoneMatch = request.headers[.ifNoneMatch] {
            guard mutant != .ifNoneMatchIgnored else { return false }
            let tags = ifNoneMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return tags.contains { $0 == "*" || Self.weakTag($0) == Self.weakTag(etag) }
        }
        guard mutant != .ifModifiedSinceIgnored, let since = request.headers[.ifModifiedSince].flatMap(HTTPDateFormat.parse) else { return false }
        return article.modified.timeIntervalSince1970.rounded(.down) <= since.timeIntervalSince1970
    }

    /// If-None-Match compares weakly: `W/"x"` and `"x"` are the same.
    private static func weakTag(_ tag: String) -> String {
        tag.hasPrefix("W/") ? String(tag.dropFirst(2)) : tag
    }

    /// Text only when the client asks for text/plain and not for JSON.
    static func prefersText(_ accept: String) -> Bool {
        let accept = accept.lowercased()
        return accept.contains("text/plain") && !accept.contains("application/json")
    }

    private func articleID(_ context: BasicRequestContext) throws -> Int {
        guard let id = context.parameters.get("id").flatMap({ Int($0) }) else { throw notFound(context) }
        return id
    }

    private func notFound(_ context: BasicRequestContext) -> RequestProblem {
        RequestProblem(.notFound, "There is no article '\(context.parameters.get("id") ?? "")'")
    }
}

/// An article of the `caching` lab; `version` and `modified` change with every replacement.
struct Article: Sendable {
    let id: Int
    var title: String
    var body: String
    var version: Int
    var modified: Date

    var json: [String: Any] { ["id": id, "title": title, "body": body] }
}

/// The slow report on an article, as computed for one version of it.
struct ArticleReport: Sendable {
    let id: Int
    let words: Int
    let version: Int

    var json: [String: Any] { ["id": id, "words": words] }
}

/// The articles and the cached reports on them. Replacing an article drops its report, unless the
/// `report-never-invalidated` mutant forgets to.
actor ArticleStore {
    private var articles: [Int: Article] = [:]
    private var reports: [Int: ArticleReport] = [:]
    private var nextID = 1
    private let keepReportsOnChange: Bool

    init(keepReportsOnChange: Bool) {
        self.keepReportsOnChange = keepReportsOnChange
    }

    func create(title: String, body: String) -> Article {
        let article = Article(id: nextID, title: title, body: body, version: 1, modified: Date())
        articles[article.id] = article
        nextID += 1
        return article
    }

    func article(_ id: Int) -> Article? { articles[id] }

    func replace(_ id: Int, title: String, body: String) -> Article? {
        guard var article = articles[id] else { return nil }
        article.title = title
        article.body = body
        article.version += 1
        article.modified = Date()
        articles[id] = article
        if !keepReportsOnChange { reports[id] = nil }
        return article
    }

    func cachedReport(_ id: Int) -> ArticleReport? { reports[id] }

    /// Keeps `report` unless the article changed while it was being computed.
    func keep(_ report: ArticleReport) {
        guard articles[report.id]?.version == report.version || keepReportsOnChange else { return }
        reports[report.id] = report
    }
}

/// The date format of HTTP headers (RFC 9110 IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
enum HTTPDateFormat {
    static func format(_ date: Date) -> String {
        formatter().string(from: date)
    }

    static func parse(_ text: String) -> Date? {
        formatter().date(from: text)
    }

    private static func formatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter
    }
}
