import Curriculum
import Foundation
import Hummingbird
import Learning
import Storage

/// The roadmap page, and the form that changes a topic's state.
struct RoadmapPages {
    let services: RoadmapServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: roadmap)
        router.post("/topics/:id/progress", use: setState)
    }

    @Sendable func roadmap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let team = services.mode == .team
        let learner = context.learner
        let now = WallClock.nowSeconds()
        return try await services.page.response(
            for: learner, signedInEmail: team ? learner?.email : nil, showSignInHint: team && learner == nil,
            csrfToken: context.csrfToken, now: now
        ) {
            async let states = services.standing.states(of: learner)
            async let verified = services.standing.verifiedTopics(of: learner)
            async let best = services.standing.bestLabResults(of: learner)
            async let queue = ReviewQueue.load(services.quiz, learner: learner, roadmap: services.roadmap, now: now)
            let verifiedTopics = try await verified
            let view = LearnerRoadmap(roadmap: services.roadmap, states: try await states, verified: verifiedTopics)
            let (bestRuns, reviews) = (try await best, try await queue)
            let card = ContinueCardModel(
                roadmap: services.roadmap, learner: view, dueCount: reviews.due.count,
                nextLab: services.labPath.next(best: bestRuns), anyLabPassed: bestRuns.values.contains(where: \.passed))
            return RoadmapPageView.LearnerPage(roadmap: view, verified: verifiedTopics, card: card, validUntil: reviews.nextDueAt)
        }
    }

    /// A plain form POST (works without JavaScript): stores the state and redirects back to the
    /// topic; answers JSON instead when the page's script asks for it.
    @Sendable func setState(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try findTopic(context)
        guard let learner = context.learner else {
            return .redirect(to: "/signin?next=/topics/\(topic.id)", type: .normal)
        }
        let fields = try await FormFields(request, context: context)
        guard let value = fields.first("state"), let state = ProgressState(rawValue: value) else {
            let allowed = ProgressState.allCases.map(\.rawValue).joined(separator: ", ")
            throw UserFacingError(.badRequest, "Choose a state: one of \(allowed).")
        }
        try await services.standing.progress.setState(state, learnerID: learner.id, topicID: topic.id)
        if request.headers[.accept]?.contains("application/json") == true {
            return try ProgressController.json(ProgressController.TopicProgress(topicId: topic.id, state: state))
        }
        return .redirect(to: "/topics/\(topic.id)", type: .normal)
    }

    private func findTopic(_ context: AppRequestContext) throws -> Topic {
        try services.roadmap.requireTopic(context.parameters.get("id") ?? "")
    }
}
