import Curriculum
import Hummingbird
import Learning
import Storage

/// A topic's page: its lesson and resources, the learner's state, and the quiz, labs and SQL
/// exercises that practise it.
struct TopicPages {
    let services: TopicServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/topics/:id", use: topic)
    }

    @Sendable func topic(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try services.roadmap.requireTopic(context.parameters.get("id") ?? "")
        let learner = context.learner
        let state = try await services.standing.countedState(of: learner, topicID: topic.id)
        let quiz = try await QuizPages(services: services.quizzes).link(for: topic, learner: learner)
        let labs = try await TopicLabsModel(topic: topic, standing: services.standing, learner: learner)
        let sql = try await TopicSQLExercisesModel(topic: topic, sqlPractice: services.sqlPractice, learner: learner)
        var note: Note?
        if let learner { note = try await services.notes.note(learnerID: learner.id, topicID: topic.id) }
        let html = services.page.html(
            topic: topic, stageTitle: services.roadmap.stage(id: topic.stageID)?.title ?? "", state: state,
            canChangeState: learner != nil, signedInEmail: services.mode == .team ? learner?.email : nil,
            csrfToken: context.csrfToken, quiz: quiz, labs: labs, sql: sql, note: note, reviewsDue: context.reviewsDue, flash: context.flash
        )
        return PageRenderer.htmlResponse(html)
    }
}

extension Roadmap {
    /// The topic with `id`, or a 404 that says what topic ids look like.
    func requireTopic(_ id: String) throws -> Topic {
        guard let topic = topic(id: id) else {
            throw UserFacingError(
                .notFound, "There is no topic '\(id)'. Topic ids look like 'http' or 'password-hashing'; the roadmap lists them all.")
        }
        return topic
    }
}
