import Hummingbird
import Learning
import Storage

/// `GET /api/v1/progress` and `PUT /api/v1/progress/{topicId}`: a learner's states, by topic id.
struct ProgressController {
    let services: RoadmapServices

    struct TopicProgress: Codable {
        let topicId: String
        let state: ProgressState
    }

    struct ProgressList: Codable {
        let progress: [TopicProgress]
    }

    struct StateChange: Codable {
        let state: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/progress", use: list)
        group.put("/progress/:topicId", use: update)
    }

    /// Every stored state, including topics no longer in the roadmap (their progress is kept).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let states = try await services.standing.progress.states(learnerID: learner.id)
        let entries = states.sorted { $0.key < $1.key }.map { TopicProgress(topicId: $0.key, state: $0.value) }
        return try JSONBody.response(ProgressList(progress: entries))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let topicID = context.parameters.get("topicId") ?? ""
        guard services.roadmap.topic(id: topicID) != nil else {
            throw UserFacingError(.notFound, "There is no topic '\(topicID)'. GET /api/v1/roadmap lists every topic id.")
        }
        let change = try await JSONBody.decode(StateChange.self, from: request, context: context, example: #"{"state": "done"}"#)
        guard let state = ProgressState(rawValue: change.state) else {
            let allowed = ProgressState.allCases.map(\.rawValue).joined(separator: ", ")
            throw UserFacingError(.unprocessableContent, "'state' must be one of: \(allowed).")
        }
        try await services.standing.progress.setState(state, learnerID: learner.id, topicID: topicID)
        return try Self.json(TopicProgress(topicId: topicID, state: state))
    }

    static func json(_ progress: TopicProgress) throws -> Response {
        try JSONBody.response(progress)
    }
}
