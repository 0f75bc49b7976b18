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
        router.get("/roadmap.svg", use: diagram)
        router.post("/topics/:id/progress", use: setState)
    }

    @Sendable func roadmap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let team = services.mode == .team
        let learner = context.learner
        let now = WallClock.nowSeconds()
        return try await services.page.response(
            for: learner, signedInEmail: team ? learner?.email : nil, showSignInHint: team && learner == nil,
            csrfToken: context.csrfToken, flash: context.flash, gzip: Gzip.accepted(request.headers[.acceptEncoding]), now: now
        ) {
            async let states = services.standing.states(of: learner)
            async let verified = services.standing.verifiedTopics(of: learner)
            async let best = services.standing.bestLabResults(of: learner)
            async let queue = ReviewQueue.load(services.quiz, learner: learner, roadmap: services.roadmap, now: now)
            let today = Int(now / 86_400)
            @Sendable func loadActivity() async throws -> [Int: Int]? {
                guard let learner else { return nil }
                return try await services.activity.activity(learnerID: learner.id, since: ActivityCalendar.since(today: today))
            }
            async let activity = loadActivity()
            let verifiedTopics = try await verified
            let view = LearnerRoadmap(roadmap: services.roadmap, states: try await states, verified: verifiedTopics)
            let (bestRuns, reviews) = (try await best, try await queue)
            let card = ContinueCardModel(
                roadmap: services.roadmap, learner: view, dueCount: reviews.due.count,
                nextLab: services.labPath.next(best: bestRuns), anyLabPassed: bestRuns.values.contains(where: \.passed))
            let calendar = try await activity.map { ActivityCalendar(counts: $0, today: today) }
            // The calendar moves on at midnight (UTC), a question falls due when it falls due.
            let midnight = Int64(today + 1) * 86_400
            return RoadmapPageView.LearnerPage(
                roadmap: view, verified: verifiedTopics, card: card, activity: calendar, validUntil: min(reviews.nextDueAt ?? midnight, midnight))
        }
    }

    /// The learner's diagram as an SVG file to keep or print.
    @Sendable func diagram(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = context.learner
        async let states = services.standing.states(of: learner)
        async let verified = services.standing.verifiedTopics(of: learner)
        let verifiedTopics = try await verified
        let view = LearnerRoadmap(roadmap: services.roadmap, states: try await states, verified: verifiedTopics)
        let timeLeft = view.timeLeftLabel.map { "Time left: \($0)." } ?? "Nothing left to learn."
        let svg = services.page.diagram.standalone(learner: view, verified: verifiedTopics, timeLeft: timeLeft)
        return Response(
            status: .ok,
            headers: [
                .contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"groundwork-roadmap.svg\"",
            ],
            body: .init(byteBuffer: ByteBuffer(string: svg)))
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
