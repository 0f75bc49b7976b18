import Curriculum
import Learning
import Storage

/// The review for `groundwork review`: the same due questions, the same marking and the same
/// spaced schedule as the /review page, one question at a time, for a terminal.
public struct TerminalReview: Sendable {
    /// One due question as a terminal shows it.
    public struct Question: Sendable {
        public let topicTitle: String
        public let prompt: String
        /// The choices in the order shown (shuffled, as on the page); answers are numbered from 1.
        public let choices: [String]
        public let allowsMultipleAnswers: Bool
        let item: ReviewQueue.Item
        /// For each shown position, the choice's number in the content file.
        let order: [Int]
    }

    /// An answer, marked: whether it was right, which shown numbers were, and why each choice is right or wrong.
    public struct Marked: Sendable {
        public let isCorrect: Bool
        public let rightChoices: [Int]
        public let explanations: [String]
    }

    let roadmap: Roadmap
    let quiz: any QuizRepository
    let learnerID: String

    /// The review of the learner with `email` (team mode), or of personal mode's learner when nil.
    /// Answers go through the same cache notices as the server's, so a server on the same
    /// PostgreSQL sees them at once.
    public static func open(roadmap: Roadmap, database: Database, email: String?) async throws -> TerminalReview {
        let users = SQLUserRepository(database: database)
        let learnerID: String
        if let email {
            guard let user = try await users.find(email: AccountRules.normalizedEmail(email)) else {
                throw UserFacingError(.notFound, "There is no account with the email \(email).")
            }
            learnerID = user.id
        } else {
            learnerID = try await users.ensure(id: personalLearnerID, email: "learner@localhost").id
        }
        let quiz = CachedQuizRepository(
            SQLQuizRepository(database: database), notices: ChangeNotices.shared(through: database), limits: CacheLimits())
        return TerminalReview(roadmap: roadmap, quiz: quiz, learnerID: learnerID)
    }

    /// Every question due at `now`, the longest-waiting first.
    public func due(now: Int64) async throws -> [Question] {
        let schedule = try await quiz.due(learnerID: learnerID, now: .max)
        return ReviewQueue(schedule: schedule, roadmap: roadmap, now: now).due.map { item in
            let order = ChoiceOrder.order(count: item.question.choices.count, seed: "\(learnerID)/review/\(item.dueAt)/\(item.question.promptHash)")
            return Question(
                topicTitle: item.topic.title, prompt: item.question.prompt, choices: order.map { item.question.choices[$0].text },
                allowsMultipleAnswers: item.question.allowsMultipleAnswers, item: item, order: order)
        }
    }

    /// Marks the shown numbers `picked` (from 1) and moves the question along its schedule.
    public func answer(_ question: Question, picked: Set<Int>, now: Int64) async throws -> Marked {
        let chosen = Set(picked.compactMap { question.order.indices.contains($0 - 1) ? question.order[$0 - 1] : nil })
        let answers = Set(question.item.question.answers)
        let isCorrect = chosen == answers
        try await quiz.recordReview(
            learnerID: learnerID, topicID: question.item.topic.id,
            answers: [
                QuizAnswer(questionIndex: question.item.index, promptHash: question.item.question.promptHash, isCorrect: isCorrect)
            ], now: now)
        return Marked(
            isCorrect: isCorrect,
            rightChoices: question.order.enumerated().filter { answers.contains($0.element) }.map { $0.offset + 1 },
            explanations: question.order.map { question.item.question.choices[$0].why }
        )
    }
}
