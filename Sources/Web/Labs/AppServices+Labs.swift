import Storage

extension AppServices {
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
