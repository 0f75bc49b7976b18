/// Plausible bugs in a `blog-api` (Conduit) solution, each caught by one stage.
enum BlogAPIMutant: String, MutantCase {
    case bearerOnly = "bearer-only"
    case updateClearsFields = "update-clears-fields"
    case followNotSaved = "follow-not-saved"
    case slugFromTitle = "slug-from-title"
    case favoritesCountFrozen = "favorites-uncounted"
    case commentsOfEveryArticle = "comments-unfiltered"
    case tagFilterIgnored = "tag-filter-ignored"
    case feedOfEveryone = "feed-of-everyone"
    case countIsPageSize = "count-is-page-size"
    case createdAs200 = "created-as-200"
    case emptyBioAsText = "empty-bio-as-text"
    case listsWithBody = "lists-with-body"
    case othersCanEdit = "others-can-edit"

    var stage: String {
        switch self {
        case .bearerOnly: "auth"
        case .updateClearsFields: "update-user"
        case .followNotSaved: "profiles"
        case .slugFromTitle: "articles"
        case .favoritesCountFrozen: "favorites"
        case .commentsOfEveryArticle: "comments"
        case .tagFilterIgnored: "tags"
        case .feedOfEveryone: "feed"
        case .countIsPageSize: "pagination"
        case .createdAs200, .emptyBioAsText, .listsWithBody, .othersCanEdit: "status-codes"
        }
    }

    var bug: String {
        switch self {
        case .bearerOnly: "only 'Authorization: Bearer …' is read, so the spec's 'Authorization: Token …' counts as no token"
        case .updateClearsFields: "PUT /api/user replaces the whole user, so fields it leaves out (bio, image) become null"
        case .followNotSaved: "follow answers following: true but stores nothing, so the next read says false"
        case .slugFromTitle: "the slug is the title in lowercase with dashes, so two articles with one title share a slug"
        case .favoritesCountFrozen: "favorited changes, but favoritesCount is never updated and stays 0"
        case .commentsOfEveryArticle: "GET …/comments lists the comments of every article, not only this one's"
        case .tagFilterIgnored: "?tag= is ignored, so the list holds articles with any tag"
        case .feedOfEveryone: "the feed holds every author's articles, not only those of the authors the user follows"
        case .countIsPageSize: "articlesCount is the number of articles on the page, not the number that match"
        case .createdAs200: "creates answer 200 instead of 201 Created"
        case .emptyBioAsText: "a new user's bio and image are \"\" instead of null"
        case .listsWithBody: "article lists carry each article's body, which the spec leaves out of lists"
        case .othersCanEdit: "anyone signed in may change or delete any article: the author is never compared (no 403)"
        }
    }
}
