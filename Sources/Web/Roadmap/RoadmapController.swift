import Curriculum
import Hummingbird
import Learning
import Storage

/// `GET /api/v1/roadmap` and `GET /api/v1/topics/{id}`: the curriculum with the caller's state.
struct RoadmapController {
    let services: RoadmapServices
    /// Each learner's encoded roadmap (key "" for a caller not signed in), until their progress changes.
    let roadmapBodies: KeyedCache<ByteBuffer>

    init(services: RoadmapServices) {
        self.services = services
        roadmapBodies = services.notices.learnerCache(CacheLimits(entries: 512))
    }

    struct Counts: Codable {
        let total: Int
        let done: Int
        let skipped: Int
        let learning: Int
        let percent: Int

        init(_ counts: LearnerRoadmap.Counts) {
            total = counts.total
            done = counts.done
            skipped = counts.skipped
            learning = counts.learning
            percent = counts.percent
        }
    }

    struct TopicSummary: Codable {
        let id: String
        let title: String
        let summary: String
        let state: ProgressState
    }

    struct StageBody: Codable {
        let id: String
        let title: String
        let summary: String
        let progress: Counts
        let topics: [TopicSummary]
    }

    struct RoadmapBody: Codable {
        let progress: Counts
        let stages: [StageBody]
    }

    struct ResourceBody: Codable {
        let type: String
        let title: String
        let url: String
    }

    struct TopicBody: Codable {
        let id: String
        let title: String
        let stage: String
        let summary: String
        let estimate: String?
        let state: ProgressState
        let lesson: String
        let resources: [ResourceBody]
        let labs: [String]
        let seenIn: [String]
        let questionCount: Int
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/roadmap", use: roadmap)
        group.get("/topics/:id", use: topic)
    }

    @Sendable func roadmap(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await roadmapBodies.value(context.learner?.id ?? "") {
            async let states = services.standing.states(of: context.learner)
            async let verified = services.standing.verifiedTopics(of: context.learner)
            let view = LearnerRoadmap(roadmap: services.roadmap, states: try await states, verified: try await verified)
            return try JSONBody.bytes(
                RoadmapBody(
                    progress: Counts(view.overall),
                    stages: view.stages.map { entry in
                        StageBody(
                            id: entry.stage.id, title: entry.stage.title, summary: entry.stage.summary, progress: Counts(entry.counts),
                            topics: entry.topics.map {
                                TopicSummary(id: $0.topic.id, title: $0.topic.title, summary: $0.topic.summary, state: $0.state)
                            })
                    }))
        }
        return JSONBody.response(bytes: body)
    }

    @Sendable func topic(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let topic = services.roadmap.topic(id: id) else {
            throw UserFacingError(.notFound, "There is no topic '\(id)'. GET /api/v1/roadmap lists every topic id.")
        }
        let state = try await services.standing.countedState(of: context.learner, topicID: id)
        return try JSONBody.response(
            TopicBody(
                id: topic.id, title: topic.title, stage: topic.stageID, summary: topic.summary, estimate: topic.estimate,
                state: state, lesson: topic.lessonMarkdown,
                resources: topic.resources.map { ResourceBody(type: $0.kind.rawValue, title: $0.title, url: $0.url) },
                labs: topic.labs, seenIn: topic.seenIn, questionCount: topic.quiz.count
            ))
    }
}
