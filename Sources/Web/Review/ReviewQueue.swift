import Curriculum
import Learning
import Storage

/// The questions a learner has waiting for review, matched to today's content: a question is
/// found by its topic and prompt hash, so one the author moved is still found, and one reworded
/// or removed is left out (its schedule belongs to a question no longer asked). The review page
/// asks them; the roadmap counts them.
struct ReviewQueue: Sendable {
    /// A question due now, where it stands in its topic's quiz.
    struct Item: Sendable {
        let topic: Topic
        let index: Int
        let question: QuizQuestion
        let dueAt: Int64
    }

    /// Due now, the longest-waiting first.
    let due: [Item]
    /// When the next question not yet due falls due; nil when none is waiting.
    let nextDueAt: Int64?

    init(schedule: [ReviewItem], roadmap: Roadmap, now: Int64) {
        var due: [Item] = []
        var nextDueAt: Int64?
        var hashes: [String: [String]] = [:]
        for entry in schedule.sorted(by: { ($0.dueAt, $0.topicID, $0.questionIndex) < ($1.dueAt, $1.topicID, $1.questionIndex) }) {
            guard let topic = roadmap.topic(id: entry.topicID) else { continue }
            let topicHashes = hashes[topic.id] ?? topic.quiz.map(\.promptHash)
            hashes[topic.id] = topicHashes
            guard let index = topicHashes.firstIndex(of: entry.promptHash) else { continue }
            if entry.dueAt <= now {
                due.append(Item(topic: topic, index: index, question: topic.quiz[index], dueAt: entry.dueAt))
            } else {
                nextDueAt = min(nextDueAt ?? .max, entry.dueAt)
            }
        }
        self.due = due
        self.nextDueAt = nextDueAt
    }

    /// The learner's queue at `now`; empty for someone not signed in.
    static func load(_ quiz: any QuizRepository, learner: User?, roadmap: Roadmap, now: Int64) async throws -> ReviewQueue {
        guard let learner else { return ReviewQueue(schedule: [], roadmap: roadmap, now: now) }
        return ReviewQueue(schedule: try await quiz.due(learnerID: learner.id, now: .max), roadmap: roadmap, now: now)
    }
}
