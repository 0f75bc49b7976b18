import Foundation
import Hummingbird

/// Plausible bugs in a `rest-json` solution, each caught by one stage.
enum RestJSONMutant: String, MutantCase {
    case noLocation = "no-location"
    case missingAsNull = "missing-as-null"
    case validationCrash = "validation-crash"
    case putMerges = "put-merges"
    case deleteKeeps = "delete-keeps"
    case newestFirst = "newest-first"
    case offsetIgnored = "offset-ignored"
    case anyContentType = "any-content-type"
    case racyIDs = "racy-ids"

    var stage: String {
        switch self {
        case .noLocation: "create"
        case .missingAsNull: "read"
        case .validationCrash: "validation"
        case .putMerges: "update"
        case .deleteKeeps: "delete"
        case .newestFirst: "list"
        case .offsetIgnored: "pagination"
        case .anyContentType: "media-type"
        case .racyIDs: "concurrency"
        }
    }

    var bug: String {
        switch self {
        case .noLocation: "201 Created without a Location header"
        case .missingAsNull: "an unknown id answers 200 with null instead of 404"
        case .validationCrash: "a note without a title crashes the handler (500) instead of a 400/422"
        case .putMerges: "PUT merges like PATCH, so fields left out keep their old values"
        case .deleteKeeps: "DELETE answers 204 but the note is still there"
        case .newestFirst: "the list is newest first, not in creation order"
        case .offsetIgnored: "offset is ignored: every page starts at the first note"
        case .anyContentType: "a body that is not declared as JSON is parsed anyway (400) instead of 415"
        case .racyIDs: "the id counter is read, then written after a pause, so notes created at once share an id"
        }
    }
}

/// The correct `rest-json` solution (or one mutant of it): a notes resource with validation,
/// replace and update, delete, filtering and pagination in a stable order.
struct RestJSONBackend {
    let mutant: RestJSONMutant?

    static let maximumBody = 64 * 1024

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let routes = Routes(router: router)
        let store = NoteStore(racyIDs: mutant == .racyIDs)
        routes.add(
            "/notes",
            [
                .get: { request, _ in try await list(request, store: store) },
                .post: { request, context in try await create(request, context: context, store: store) },
            ])
        routes.add(
            "/notes/:id",
            [
                .get: { _, context in try await read(context, store: store) },
                .put: { request, context in try await replace(request, context: context, store: store) },
                .patch: { request, context in try await update(request, context: context, store: store) },
                .delete: { _, context in try await delete(context, store: store) },
            ])
        return router
    }

    // MARK: handlers

    private func create(_ request: Request, context: BasicRequestContext, store: NoteStore) async throws -> Response {
        let fields = try await readObject(request, context: context)
        if mutant == .validationCrash, fields["title"] == nil {
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
        }
        let input = try NoteInput(fields, partial: false)
        let note = await store.create(title: input.title ?? "", body: input.body ?? "", pinned: input.pinned ?? false)
        let headers: HTTPFields = mutant == .noLocation ? [:] : [.location: "/notes/\(note.id)"]
        return JSON.response(note.json, status: .created, headers: headers)
    }

    private func read(_ context: BasicRequestContext, store: NoteStore) async throws -> Response {
        guard let id = noteID(context), let note = await store.note(id: id) else {
            if mutant == .missingAsNull { return JSON.response(NSNull()) }
            throw notFound(context)
        }
        return JSON.response(note.json)
    }

    private func replace(_ request: Request, context: BasicRequestContext, store: NoteStore) async throws -> Response {
        let id = try await existingID(context, store: store)
        let input = try NoteInput(try await readObject(request, context: context), partial: false)
        let merge = mutant == .putMerges
        let note = await store.update(id: id) { note in
            note.title = input.title ?? note.title
            note.body = input.body ?? (merge ? note.body : "")
            note.pinned = input.pinned ?? (merge ? note.pinned : false)
        }
        guard let note else { throw notFound(context) }
        return JSON.response(note.json)
    }

    private func update(_ request: Request, context: BasicRequestContext, store: NoteStore) async throws -> Response {
        let id = try await existingID(context, store: store)
        let input = try NoteInput(try await readObject(request, context: context), partial: true)
        let note = await store.update(id: id) { note in
            note.title = input.title ?? note.title
            note.body = input.body ?? note.body
            note.pinned = input.pinned ?? note.pinned
        }
        guard let note else { throw notFound(context) }
        return JSON.response(note.json)
    }

    private func delete(_ context: BasicRequestContext, store: NoteStore) async throws -> Response {
        let id = try await existingID(context, store: store)
        if mutant != .deleteKeeps { await store.delete(id: id) }
        return Response(status: .noContent)
    }

    private func list(_ request: Request, store: NoteStore) async throws -> Response {
        let query = request.uri.queryParameters
        let limit = try number(query["limit"], name: "limit", default: 20, range: 1...100)
        let offset = try number(query["offset"], name: "offset", default: 0, range: 0...Int.max)
        var notes = await store.all()
        if mutant == .newestFirst { notes.reverse() }
        if let text = query["q"].map(String.init), !text.isEmpty {
            notes = notes.filter { $0.title.localizedCaseInsensitiveContains(text) }
        }
        if let pinnedText = query["pinned"].map(String.init) {
            guard let pinned = Bool(pinnedText) else {
                throw RequestProblem(.badRequest, "'pinned' must be true or false, not '\(pinnedText)'")
            }
            notes = notes.filter { $0.pinned == pinned }
        }
        let start = mutant == .offsetIgnored ? 0 : min(offset, notes.count)
        let page = notes[start..<min(start + limit, notes.count)]
        return JSON.response(["items": page.map(\.json), "total": notes.count, "limit": limit, "offset": offset])
    }

    // MARK: helpers

    private func noteID(_ context: BasicRequestContext) -> Int? {
        context.parameters.get("id").flatMap { Int($0) }
    }

    private func existingID(_ context: BasicRequestContext, store: NoteStore) async throws -> Int {
        guard let id = noteID(context), await store.note(id: id) != nil else { throw notFound(context) }
        return id
    }

    private func notFound(_ context: BasicRequestContext) -> RequestProblem {
        RequestProblem(.notFound, "There is no note '\(context.parameters.get("id") ?? "")'")
    }

    private func number(_ text: Substring?, name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw RequestProblem(
                .badRequest,
                "'\(name)' must be a whole number from \(range.lowerBound)\(range.upperBound == .max ? " up" : " to \(range.upperBound)"), not '\(text)'"
            )
        }
        return number
    }

    /// The body as a JSON object: 415 when it is not declared as JSON, 400 when it is not JSON,
    /// 422 when it is JSON but not an object.
    private func readObject(_ request: Request, context: BasicRequestContext) async throws -> [String: JSONInput] {
        let type = request.headers[.contentType] ?? ""
        if !type.lowercased().hasPrefix("application/json"), mutant != .anyContentType {
            throw RequestProblem(.unsupportedMediaType, "Send the note as JSON with 'Content-Type: application/json' (got '\(type)')")
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBody)
        guard let value = try? JSONDecoder().decode(JSONInput.self, from: Data(buffer: body)) else {
            throw RequestProblem(.badRequest, "The body is not valid JSON")
        }
        guard case .object(let fields) = value else {
            throw RequestProblem(.unprocessableContent, "Send a JSON object such as {\"title\": \"Groceries\"}")
        }
        return fields
    }
}

/// The fields of a note in a request, checked one by one.
struct NoteInput {
    var title: String?
    var body: String?
    var pinned: Bool?

    /// With `partial`, every field is optional (PATCH); otherwise `title` is required.
    init(_ fields: [String: JSONInput], partial: Bool) throws(RequestProblem) {
        switch fields["title"] {
        case .text(let text) where !text.trimmingCharacters(in: .whitespaces).isEmpty && text.count <= 200: title = text
        case .none where partial: title = nil
        case .none: throw RequestProblem(.unprocessableContent, "'title' is required: send {\"title\": \"…\"}")
        default: throw RequestProblem(.unprocessableContent, "'title' must be a text of 1 to 200 characters")
        }
        switch fields["body"] {
        case .text(let text): body = text
        case .none: body = nil
        default: throw RequestProblem(.unprocessableContent, "'body' must be a text")
        }
        switch fields["pinned"] {
        case .bool(let flag): pinned = flag
        case .none: pinned = nil
        default: throw RequestProblem(.unprocessableContent, "'pinned' must be true or false")
        }
    }
}
