import Foundation

/// A Conduit user as stored; the password only as a hash.
struct ConduitUser: Sendable {
    let id: Int
    var username: String
    var email: String
    var passwordHash: String
    var bio: String?
    var image: String?
}

/// An article as stored; its author by id, its favorites and comments elsewhere.
struct ConduitArticle: Sendable {
    let id: Int
    var slug: String
    var title: String
    var description: String
    var body: String
    var tagList: [String]
    let authorID: Int
    let createdAt: Date
    var updatedAt: Date
}

/// A comment on an article, as stored.
struct ConduitComment: Sendable {
    let id: Int
    let articleID: Int
    let authorID: Int
    let body: String
    let createdAt: Date
}

/// An article with everything its JSON needs, as one viewer sees it.
struct ArticleView: Sendable {
    let article: ConduitArticle
    let author: ProfileView
    let favorited: Bool
    let favoritesCount: Int
}

/// A user as another user sees them.
struct ProfileView: Sendable {
    let user: ConduitUser
    let following: Bool
}

/// Everything the blog API keeps, in memory, behind one actor so that every check-and-change
/// (a username still free, a slug still unused) happens in one step.
actor ConduitStore {
    private var users: [ConduitUser] = []
    /// Each token's user, and the e-mail the user had when it was issued.
    private var tokens: [String: (user: Int, email: String)] = [:]
    /// Tokens hold the e-mail, as many JWTs do: a token issued before a change of e-mail no longer
    /// signs anyone in.
    let tokensCarryEmail: Bool
    /// Lists other than the feed come oldest first (a mutant's bug).
    let listsOldestFirst: Bool
    /// (follower, followed) user ids.
    private var follows: Set<[Int]> = []
    /// Articles in the order they were written.
    private var articles: [ConduitArticle] = []
    /// (user, article) ids.
    private var favorites: Set<[Int]> = []
    private var comments: [ConduitComment] = []
    private var nextID = 1

    init(tokensCarryEmail: Bool = false, listsOldestFirst: Bool = false) {
        self.tokensCarryEmail = tokensCarryEmail
        self.listsOldestFirst = listsOldestFirst
    }

    // MARK: users

    func register(username: String, email: String, passwordHash: String, emptyProfile: String?) throws(ConduitError) -> ConduitUser {
        try checkFree(username: username, email: email, except: nil)
        let user = ConduitUser(id: newID(), username: username, email: email, passwordHash: passwordHash, bio: emptyProfile, image: emptyProfile)
        users.append(user)
        return user
    }

    func user(id: Int) -> ConduitUser? { users.first { $0.id == id } }

    func user(username: String) -> ConduitUser? { users.first { $0.username == username } }

    func user(email: String) -> ConduitUser? { users.first { $0.email.lowercased() == email.lowercased() } }

    func user(token: String) -> ConduitUser? {
        guard let issued = tokens[token], let user = user(id: issued.user) else { return nil }
        return !tokensCarryEmail || issued.email == user.email ? user : nil
    }

    /// A new random token that signs `user` in.
    func issueToken(for user: ConduitUser) -> String {
        let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
        tokens[token] = (user.id, user.email)
        return token
    }

    /// Applies `change` to the user, unless it takes a username or email someone else has.
    func update(userID: Int, _ change: (inout ConduitUser) -> Void) throws(ConduitError) -> ConduitUser {
        guard let index = users.firstIndex(where: { $0.id == userID }) else { throw .unauthorized }
        var user = users[index]
        change(&user)
        try checkFree(username: user.username, email: user.email, except: userID)
        users[index] = user
        return user
    }

    private func checkFree(username: String, email: String, except id: Int?) throws(ConduitError) {
        if users.contains(where: { $0.username == username && $0.id != id }) { throw .conflict("username") }
        if users.contains(where: { $0.email.lowercased() == email.lowercased() && $0.id != id }) { throw .conflict("email") }
    }

    // MARK: profiles

    func profile(_ user: ConduitUser, viewer: Int?) -> ProfileView {
        ProfileView(user: user, following: viewer.map { follows.contains([$0, user.id]) } ?? false)
    }

    func setFollowing(_ follower: Int, _ followed: Int, _ on: Bool) {
        if on { follows.insert([follower, followed]) } else { follows.remove([follower, followed]) }
    }

    // MARK: articles

    /// Stores a new article; with `uniqueSlug` its slug gets a suffix when another article has it.
    func createArticle(title: String, description: String, body: String, tagList: [String], authorID: Int, uniqueSlug: Bool) -> ConduitArticle {
        let now = Date()
        let id = newID()
        let article = ConduitArticle(
            id: id, slug: slug(for: title, articleID: id, unique: uniqueSlug), title: title, description: description,
            body: body, tagList: tagList, authorID: authorID, createdAt: now, updatedAt: now)
        articles.append(article)
        return article
    }

    func article(slug: String) -> ConduitArticle? { articles.first { $0.slug == slug } }

    func hasArticle(titled title: String) -> Bool { articles.contains { $0.title == title } }

    /// Applies `change`; a changed title gives the article a new slug.
    func updateArticle(id: Int, uniqueSlug: Bool, _ change: (inout ConduitArticle) -> Void) -> ConduitArticle? {
        guard let index = articles.firstIndex(where: { $0.id == id }) else { return nil }
        var article = articles[index]
        change(&article)
        if article.title != articles[index].title { article.slug = slug(for: article.title, articleID: id, unique: uniqueSlug) }
        article.updatedAt = Date()
        articles[index] = article
        return article
    }

    func deleteArticle(id: Int) {
        articles.removeAll { $0.id == id }
        comments.removeAll { $0.articleID == id }
        favorites = favorites.filter { $0[1] != id }
    }

    func setFavorite(_ userID: Int, _ articleID: Int, _ on: Bool) {
        if on { favorites.insert([userID, articleID]) } else { favorites.remove([userID, articleID]) }
    }

    /// Articles matching the filters, newest first, as `viewer` sees them, with how many match.
    func articles(_ filter: ArticleFilter, viewer: Int?, limit: Int, offset: Int) -> (page: [ArticleView], total: Int) {
        let authorID = filter.author.map { name in user(username: name)?.id ?? -1 }
        let favoriterID = filter.favoritedBy.map { name in user(username: name)?.id ?? -1 }
        let matching = articles.filter { article in
            (filter.tag.map { article.tagList.contains($0) } ?? true)
                && (authorID.map { article.authorID == $0 } ?? true)
                && (favoriterID.map { favorites.contains([$0, article.id]) } ?? true)
                && (filter.followedBy.map { follows.contains([$0, article.authorID]) } ?? true)
        }
        var newestFirst = matching.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        if listsOldestFirst, filter.followedBy == nil { newestFirst.reverse() }
        let page = newestFirst.dropFirst(offset).prefix(limit).compactMap { view($0, viewer: viewer) }
        return (page, matching.count)
    }

    func view(_ article: ConduitArticle, viewer: Int?) -> ArticleView? {
        guard let author = user(id: article.authorID) else { return nil }
        return ArticleView(
            article: article, author: profile(author, viewer: viewer),
            favorited: viewer.map { favorites.contains([$0, article.id]) } ?? false,
            favoritesCount: favorites.filter { $0[1] == article.id }.count)
    }

    /// Every tag in use, in alphabetical order.
    func tags() -> [String] {
        Array(Set(articles.flatMap(\.tagList))).sorted()
    }

    // MARK: comments

    func addComment(body: String, articleID: Int, authorID: Int) -> ConduitComment {
        let comment = ConduitComment(id: newID(), articleID: articleID, authorID: authorID, body: body, createdAt: Date())
        comments.append(comment)
        return comment
    }

    func comment(id: Int) -> ConduitComment? { comments.first { $0.id == id } }

    /// The comments of one article (of all, when `articleID` is nil), oldest first, with their authors as `viewer` sees them.
    func comments(articleID: Int?, viewer: Int?) -> [(comment: ConduitComment, author: ProfileView)] {
        comments.filter { articleID == nil || $0.articleID == articleID }.compactMap { comment in
            user(id: comment.authorID).map { (comment, profile($0, viewer: viewer)) }
        }
    }

    func deleteComment(id: Int) {
        comments.removeAll { $0.id == id }
    }

    // MARK: helpers

    private func newID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    /// "How to Train Your Dragon" → "how-to-train-your-dragon", with "-ID" added when that is taken.
    private func slug(for title: String, articleID: Int, unique: Bool) -> String {
        let words = title.lowercased().split { !($0.isLetter || $0.isNumber) || !$0.isASCII }
        let base = words.isEmpty ? "article" : words.joined(separator: "-")
        guard unique, articles.contains(where: { $0.slug == base && $0.id != articleID }) else { return base }
        return "\(base)-\(articleID)"
    }
}

/// What a list of articles is narrowed to.
struct ArticleFilter: Sendable {
    var tag: String?
    var author: String?
    var favoritedBy: String?
    /// The feed: only authors this user follows.
    var followedBy: Int?
}
