import Hummingbird
import Learning

/// `GET /api/v1/notes` and `GET|PUT|DELETE /api/v1/notes/{topicId}`: the caller's own notes. Any
/// other learner's note is, to the caller, a note that does not exist (404). A note on a topic the
/// roadmap no longer has cannot be read or written by id, but stays listed.
struct NoteController {
    let services: NoteServices

    /// A note as the API shows it: the Markdown and the HTML a page would show for it.
    struct NoteBody: Codable {
        let topicId: String
        let text: String
        let html: String
        /// Seconds since 1970.
        let updatedAt: Int64

        init(_ note: Note) {
            topicId = note.topicID
            text = note.text
            html = NoteHTML.render(note.text)
            updatedAt = note.updatedAt / 1000
        }
    }

    struct NoteList: Codable {
        let notes: [NoteBody]
    }

    struct NoteChange: Codable {
        let text: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/notes", use: list)
        group.get("/notes/:topicId", use: show)
        group.put("/notes/:topicId", use: update)
        group.delete("/notes/:topicId", use: remove)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let notes = try await services.notes.notes(learnerID: learner.id)
        return try JSONBody.response(NoteList(notes: notes.map(NoteBody.init)))
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let topicID = try topic(context)
        guard let note = try await services.notes.note(learnerID: learner.id, topicID: topicID) else { throw Self.noNote(topicID) }
        return try JSONBody.response(NoteBody(note))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let topicID = try topic(context)
        let change = try await JSONBody.decode(NoteChange.self, from: request, context: context, example: #"{"text": "ETags: *weak* vs strong"}"#)
        guard let note = try await services.save(change.text, learnerID: learner.id, topicID: topicID) else {
            return Response(status: .noContent)
        }
        return try JSONBody.response(NoteBody(note))
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let topicID = try topic(context)
        guard try await services.notes.delete(learnerID: learner.id, topicID: topicID) else { throw Self.noNote(topicID) }
        return Response(status: .noContent)
    }

    private static func noNote(_ topicID: String) -> UserFacingError {
        UserFacingError(.notFound, "You have no note on '\(topicID)'. PUT /api/v1/notes/\(topicID) with {\"text\": \"…\"} writes one.")
    }

    private func topic(_ context: AppRequestContext) throws -> String {
        let topicID = context.parameters.get("topicId") ?? ""
        guard services.roadmap.topic(id: topicID) != nil else {
            throw UserFacingError(.notFound, "There is no topic '\(topicID)'. GET /api/v1/roadmap lists every topic id.")
        }
        return topicID
    }
}
