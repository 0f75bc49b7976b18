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
    case wrongPassword404 = "wrong-password-404"
    case follow201 = "follow-201"
    case duplicateTitle500 = "duplicate-title-500"
    case feed404 = "feed-404"
    case oldestFirst = "oldest-first"
    case blankAccepted = "blank-accepted"
    case missingToken403 = "missing-token-403"
    case errorsAsList = "errors-as-list"
    case emailInToken = "email-in-token"

    var stage: String {
        switch self {
        case .bearerOnly, .wrongPassword404: "auth"
        case .updateClearsFields, .emailInToken: "update-user"
        case .followNotSaved, .follow201: "profiles"
        case .slugFromTitle, .duplicateTitle500: "articles"
        case .favoritesCountFrozen: "favorites"
        case .commentsOfEveryArticle: "comments"
        case .tagFilterIgnored: "tags"
        case .feedOfEveryone, .feed404: "feed"
        case .countIsPageSize, .oldestFirst: "pagination"
        case .createdAs200, .emptyBioAsText, .listsWithBody, .othersCanEdit, .blankAccepted, .missingToken403, .errorsAsList: "status-codes"
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
        case .wrongPassword404: "a wrong password answers 404 (the user was 'not found' with that password) instead of 401 or 422"
        case .follow201: "following answers 201 Created, where the spec answers 200 with the profile"
        case .duplicateTitle500: "a second article with a title already used crashes with 500: the slug column is unique and the insert fails"
        case .feed404: "GET /api/articles/feed is taken by the route /api/articles/:slug, so the feed answers 404 (no article 'feed')"
        case .oldestFirst: "lists of articles come oldest first, so the first page holds the oldest articles"
        case .blankAccepted: "a blank username (\"\") is taken as given instead of answering 422 \"can't be blank\""
        case .missingToken403: "a request without a token answers 403 Forbidden instead of 401 Unauthorized"
        case .errorsAsList: "errors come as a list of sentences, {\"errors\": [\"…\"]}, not as {\"errors\": {\"field\": [\"…\"]}}"
        case .emailInToken:
            "correct: tokens carry the e-mail, so PUT /api/user answers a new token after a change of e-mail and the old one stops working"
        }
    }

    var correct: Bool { self == .emailInToken }
}
