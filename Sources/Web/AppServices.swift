import Storage
import Curriculum
import Prometheus
import Storage

/// Everything routes need, built once at start-up and shared (read-only) by every request.
struct AppServices: Sendable {
    let configuration: AppConfiguration
    let roadmap: Roadmap
    let database: Database
    let pages: PageRenderer
    let users: any UserRepository
    let sessions: any SessionRepository
    let progress: any ProgressRepository
    let tokens: any TokenRepository
    let hasher: PasswordHasher
    /// Sign-in attempts per client address.
    let signInsPerAddress: RateLimiter
    /// Failed sign-ins per account.
    let failuresPerAccount: RateLimiter
    let metrics: PrometheusCollectorRegistry

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
