import Curriculum
import Learning
import Storage

/// The labs block of a topic page: the labs that check this topic (or are related to it), the
/// learner's best result in each, and whether a passed lab has verified the topic.
struct TopicLabsModel {
    struct Row {
        let id: String
        let title: String
        let summary: String
        let result: LabResultBadge
    }

    let rows: [Row]
    let hasLabs: Bool
    let verified: Bool

    init(topic: Topic, standing: LearnerStanding, learner: User?) async throws {
        let best = try await standing.bestLabResults(of: learner)
        rows = standing.labs.labs(for: topic).map { Row(id: $0.id, title: $0.title, summary: $0.summary, result: LabResultBadge(best[$0.id])) }
        hasLabs = !rows.isEmpty
        verified = try await standing.verifiedTopics(of: learner).contains(topic.id)
    }
}
