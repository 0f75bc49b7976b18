import Curriculum
import Hummingbird
import Learning

/// The `/notes` page, and the note form every topic page carries (a plain form POST that works
/// without JavaScript; with it, the page autosaves through the API instead).
struct NotePages {
    let services: NoteServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/notes", use: list)
        router.get("/topics/:id/note", use: page)
        router.post("/topics/:id/note", use: save)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/notes", type: .normal) }
        let notes = try await services.notes.notes(learnerID: learner.id)
        return services.pages.render("notes", title: "Your notes", content: NotesPageModel(notes: notes, roadmap: services.roadmap), context: context)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try services.roadmap.requireTopic(context.parameters.get("id") ?? "")
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/topics/\(topic.id)/note", type: .normal) }
        let note = try await services.notes.note(learnerID: learner.id, topicID: topic.id)
        return render(NotePageModel(topic: topic, note: note), context: context)
    }

    /// Saves and goes back to the topic's note; a refused note comes back in the form with the
    /// reason, so the learner can shorten it rather than type it again.
    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try services.roadmap.requireTopic(context.parameters.get("id") ?? "")
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/topics/\(topic.id)", type: .normal) }
        let text = try await FormFields(request, context: context).first("text") ?? ""
        do {
            _ = try await services.save(text, learnerID: learner.id, topicID: topic.id)
        } catch let error as UserFacingError {
            let note = try await services.notes.note(learnerID: learner.id, topicID: topic.id)
            return render(NotePageModel(topic: topic, note: note, draft: text, message: error.detail), context: context, status: error.status)
        }
        return .redirect(to: "/topics/\(topic.id)#note", type: .normal)
    }

    private func render(_ model: NotePageModel, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        services.pages.render("note", title: "Your note on \(model.topicTitle)", content: model, context: context, status: status)
    }
}
