import Storage
import Curriculum
import Prometheus
import Storage

/// Everything routes need, built once at start-up and shared (read-only) by every request.
struct AppServices: Sendable {
    let configuration: AppConfiguration
    let roadmap: Roadmap
    let database: Database
    /// Tells the caches of every instance which learner's data changed.
    let notices: ChangeNotices
    let pages: PageRenderer
    let roadmapPage: RoadmapPageView
    let users: any UserRepository
    let sessions: any SessionRepository
    let progress: any ProgressRepository
    let tokens: any TokenRepository
    let quiz: any QuizRepository
    let hasher: PasswordHasher
    /// Sign-in attempts per client address.
    let signInsPerAddress: RateLimit
    /// Failed sign-ins per account.
    let failuresPerAccount: RateLimit
    let metrics: PrometheusCollectorRegistry
    let labs: LabCatalog
    let labRuns: any LabRunRepository
    /// Lab runs in progress on any instance, for pages that follow them live.
    let liveRuns: LiveRuns
    /// Lab runs started per learner (team mode), so a shared server cannot be used to flood a target.
    let labRunsPerLearner: RateLimit
    let sqlPractice: SQLPracticeServices

    /// The learner's stored states; everything is todo for someone not signed in.
    func states(of learner: User?) async throws -> [String: ProgressState] {
        guard let learner else { return [:] }
        return try await progress.states(learnerID: learner.id)
    }

    func state(of learner: User?, topicID: String) async throws -> ProgressState {
        guard let learner else { return .todo }
        return try await progress.state(learnerID: learner.id, topicID: topicID)
    }
}
