import Curriculum
import Foundation
import Hummingbird
import Storage

/// The roadmap and topic pages, and the form that changes a topic's state.
struct RoadmapPages {
    let services: AppServices
    let topicPage: TopicPageView

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: roadmap)
        router.get("/topics/:id", use: topic)
        router.post("/topics/:id/progress", use: setState)
    }

    @Sendable func roadmap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let team = services.configuration.mode == .team
        return try await services.roadmapPage.response(
            for: context.learner, signedInEmail: team ? context.learner?.email : nil, showSignInHint: team && context.learner == nil,
            csrfToken: context.csrfToken
        ) {
            async let states = services.states(of: context.learner)
            async let verified = services.verifiedTopics(of: context.learner)
            return (LearnerRoadmap(roadmap: services.roadmap, states: try await states), try await verified)
        }
    }

    @Sendable func topic(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try findTopic(context)
        let learner = context.learner
        let state = try await services.state(of: learner, topicID: topic.id)
        let quiz = try await QuizPages(services: services).link(for: topic, learner: learner)
        let labs = try await TopicLabsModel(topic: topic, services: services, learner: learner)
        let sql = try await TopicSQLExercisesModel(topic: topic, services: services, learner: learner)
        let html = topicPage.html(
            topic: topic, stageTitle: services.roadmap.stage(id: topic.stageID)?.title ?? "", state: state,
            canChangeState: learner != nil, signedInEmail: services.configuration.mode == .team ? learner?.email : nil,
            csrfToken: context.csrfToken, quiz: quiz, labs: labs, sql: sql
        )
        return PageRenderer.htmlResponse(html)
    }

    /// A plain form POST (works without JavaScript): stores the state and redirects back to the
    /// topic; answers JSON instead when the page's script asks for it.
    @Sendable func setState(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try findTopic(context)
        guard let learner = context.learner else {
            return .redirect(to: "/signin?next=/topics/\(topic.id)", type: .normal)
        }
        var request = request
        let fields = FormFields(try await request.collectBody(upTo: context.maxUploadSize))
        guard let value = fields.first("state"), let state = ProgressState(rawValue: value) else {
            let allowed = ProgressState.allCases.map(\.rawValue).joined(separator: ", ")
            throw UserFacingError(.badRequest, "Choose a state: one of \(allowed).")
        }
        try await services.progress.setState(state, learnerID: learner.id, topicID: topic.id)
        if request.headers[.accept]?.contains("application/json") == true {
            return try ProgressController.json(ProgressController.TopicProgress(topicId: topic.id, state: state))
        }
        return .redirect(to: "/topics/\(topic.id)", type: .normal)
    }

    private func findTopic(_ context: AppRequestContext) throws -> Topic {
        let id = context.parameters.get("id") ?? ""
        guard let topic = services.roadmap.topic(id: id) else {
            throw UserFacingError(.notFound, "There is no topic '\(id)'. Topic ids look like 'http' or 'password-hashing'; the roadmap lists them all.")
        }
        return topic
    }
}
