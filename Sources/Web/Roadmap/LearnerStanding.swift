import Curriculum
import Learning
import Storage

/// Where a learner stands: the state of each topic, the topics a passed lab verified, the best run
/// of each lab. The roadmap, topic and lab pages and the API all read it from here, so "done" and
/// "verified" mean the same on every page. Someone not signed in stands nowhere: every topic to do.
struct LearnerStanding: Sendable {
    let progress: any ProgressRepository
    let labRuns: any LabRunRepository
    let labs: LabCatalog

    /// The learner's stored states; everything is todo for someone not signed in.
    func states(of learner: User?) async throws -> [String: ProgressState] {
        guard let learner else { return [:] }
        return try await progress.states(learnerID: learner.id)
    }

    func state(of learner: User?, topicID: String) async throws -> ProgressState {
        guard let learner else { return .todo }
        return try await progress.state(learnerID: learner.id, topicID: topicID)
    }

    /// The state the topic counts as: done once a passed lab verified it (see
    /// ``Learning/ProgressState/counting(verified:)``), else the stored one.
    func countedState(of learner: User?, topicID: String) async throws -> ProgressState {
        async let stored = state(of: learner, topicID: topicID)
        async let verified = verifiedTopics(of: learner)
        return try await stored.counting(verified: verified.contains(topicID))
    }

    /// The topics the learner has verified by passing a lab; none for someone not signed in.
    func verifiedTopics(of learner: User?) async throws -> Set<String> {
        guard let learner else { return [] }
        return try await labRuns.verifiedTopicIDs(learnerID: learner.id, topicsByLab: labs.topicsByLab)
    }

    /// The learner's best run of each lab they have tried, by lab id.
    func bestLabResults(of learner: User?) async throws -> [String: LabRun] {
        guard let learner else { return [:] }
        return try await labRuns.bestResults(learnerID: learner.id)
    }
}
