import Foundation
import Hummingbird

/// An error answer in the shape the Conduit spec gives every error,
/// `{"errors": {"field": ["message"]}}`, with the spec's status for each kind.
enum ConduitError: HTTPResponseError {
    /// A request that needs a token came without one.
    case missingToken
    /// A token that signs nobody in.
    case unauthorized
    /// Login with an unknown email or a wrong password (the same answer for both).
    case badCredentials
    case forbidden(String)
    case notFound(String)
    /// A username or email someone else has.
    case conflict(String)
    case invalid([String: [String]])

    var status: HTTPResponse.Status {
        switch self {
        case .missingToken, .unauthorized, .badCredentials: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .conflict: .conflict
        case .invalid: .unprocessableContent
        }
    }

    var errors: [String: [String]] {
        switch self {
        case .missingToken: ["token": ["is missing"]]
        case .unauthorized: ["token": ["is invalid"]]
        case .badCredentials: ["credentials": ["invalid"]]
        case .forbidden(let resource): [resource: ["forbidden"]]
        case .notFound(let resource): [resource: ["not found"]]
        case .conflict(let field): [field: ["has already been taken"]]
        case .invalid(let errors): errors
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSON.response(["errors": errors], status: status)
    }

    /// The errors as a bare list of sentences, `{"errors": ["title can't be blank"]}`: the shape
    /// many frameworks produce by default (a mutant's bug).
    var listResponse: Response {
        JSON.response(["errors": errors.flatMap { field, messages in messages.map { "\(field) \($0)" } }], status: status)
    }
}

/// The JSON shapes of the Conduit spec: how users, profiles, articles and comments are written,
/// and how request bodies (`{"user": {…}}`, `{"article": {…}}`) are read.
enum ConduitJSON {
    static func user(_ user: ConduitUser, token: String) -> [String: Any] {
        ["email": user.email, "token": token, "username": user.username, "bio": nullable(user.bio), "image": nullable(user.image)]
    }

    static func profile(_ profile: ProfileView) -> [String: Any] {
        ["username": profile.user.username, "bio": nullable(profile.user.bio), "image": nullable(profile.user.image), "following": profile.following]
    }

    /// An article; lists leave out its body.
    static func article(_ view: ArticleView, withBody: Bool, favoritesCount: Int? = nil) -> [String: Any] {
        let article = view.article
        var json: [String: Any] = [
            "slug": article.slug, "title": article.title, "description": article.description, "tagList": article.tagList,
            "createdAt": date(article.createdAt), "updatedAt": date(article.updatedAt),
            "favorited": view.favorited, "favoritesCount": favoritesCount ?? view.favoritesCount, "author": profile(view.author),
        ]
        if withBody { json["body"] = article.body }
        return json
    }

    static func comment(_ comment: ConduitComment, author: ProfileView) -> [String: Any] {
        let created = date(comment.createdAt)
        return ["id": comment.id, "createdAt": created, "updatedAt": created, "body": comment.body, "author": profile(author)]
    }

    /// ISO 8601 in UTC with milliseconds: `2016-02-18T03:22:56.637Z`.
    static func date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter.string(from: date)
    }

    private static func nullable(_ text: String?) -> Any { text ?? NSNull() }

    static let maximumBody = 64 * 1024

    /// The object inside `{"<wrapper>": {…}}`, or a 422 saying what to send.
    static func fields(_ request: Request, wrapper: String) async throws -> [String: JSONInput] {
        var request = request
        let body = try await request.collectBody(upTo: maximumBody)
        guard case .object(let top)? = try? JSONDecoder().decode(JSONInput.self, from: Data(buffer: body)),
            case .object(let fields)? = top[wrapper]
        else {
            throw ConduitError.invalid(["body": ["must be a JSON object such as {\"\(wrapper)\": {…}}"]])
        }
        return fields
    }
}

/// What an update does to one field.
enum FieldChange {
    case keep
    case set(String?)
}

extension [String: JSONInput] {
    /// A non-blank text, or a "can't be blank" in `problems`.
    func required(_ name: String, _ problems: inout [String: [String]]) -> String {
        guard case .text(let text)? = self[name], !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            problems[name] = ["can't be blank"]
            return ""
        }
        return text
    }

    /// The text as sent, blank or not ("" when it is missing or not a text).
    func text(_ name: String) -> String {
        if case .text(let text)? = self[name] { return text }
        return ""
    }

    /// A field an update may send: absent keeps the value; a blank text or null clears a
    /// `nullable` field and is refused for the others.
    func change(_ name: String, nullable: Bool, _ problems: inout [String: [String]]) -> FieldChange {
        switch self[name] {
        case nil: return .keep
        case .text(let text) where !text.trimmingCharacters(in: .whitespaces).isEmpty: return .set(text)
        case .text, .null:
            if nullable { return .set(nil) }
            problems[name] = ["can't be blank"]
        default:
            problems[name] = ["must be a text"]
        }
        return .keep
    }

    /// `tagList`: absent is `nil`; anything but a list of texts is a problem.
    func tags(_ problems: inout [String: [String]]) -> [String]? {
        guard let value = self["tagList"] else { return nil }
        guard case .list(let items) = value else {
            problems["tagList"] = ["must be a list of texts"]
            return nil
        }
        var tags: [String] = []
        for item in items {
            guard case .text(let tag) = item, !tag.isEmpty else {
                problems["tagList"] = ["must be a list of texts"]
                return nil
            }
            if !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }
}

/// Answers every Conduit error as a bare list of sentences (the `errors-as-list` mutant).
struct ErrorsAsList: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ConduitError {
            return error.listResponse
        }
    }
}
