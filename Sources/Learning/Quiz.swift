/// How one question went in an attempt.
///
/// A question is identified by its topic and `promptHash`, a hash of its prompt made by the caller;
/// `questionIndex` only records where the question stood. Content changes under stored answers:
/// reordering questions must not hand one question's misses to another, and a reworded question
/// is a new question — a miss of the old wording says nothing about the new one.
public struct QuizAnswer: Sendable, Equatable {
    public let questionIndex: Int
    public let promptHash: String
    public let isCorrect: Bool

    public init(questionIndex: Int, promptHash: String, isCorrect: Bool) {
        self.questionIndex = questionIndex
        self.promptHash = promptHash
        self.isCorrect = isCorrect
    }
}

/// The score of one attempt at a topic's quiz.
public struct QuizScore: Sendable, Equatable {
    public let correct: Int
    public let total: Int
    public let takenAt: Int64

    public init(correct: Int, total: Int, takenAt: Int64) {
        self.correct = correct
        self.total = total
        self.takenAt = takenAt
    }

    /// The share right, rounded to the nearest whole percent.
    public var percent: Int { Int((Double(correct) * 100 / Double(total)).rounded()) }
}

/// A learner's standing on one topic's quiz: the best attempt (the larger share right; the later one
/// on a tie), the latest one, and how many there were.
public struct QuizScores: Sendable, Equatable {
    public let best: QuizScore
    public let latest: QuizScore
    public let attempts: Int

    public init(best: QuizScore, latest: QuizScore, attempts: Int) {
        self.best = best
        self.latest = latest
        self.attempts = attempts
    }
}

/// A missed question on its way back for review.
public struct ReviewItem: Sendable, Equatable {
    public let topicID: String
    /// Where the question stood when last answered; find it by `promptHash`, which survives reordering.
    public let questionIndex: Int
    public let promptHash: String
    public let rightInARow: Int
    public let dueAt: Int64

    public init(topicID: String, questionIndex: Int, promptHash: String, rightInARow: Int, dueAt: Int64) {
        self.topicID = topicID
        self.questionIndex = questionIndex
        self.promptHash = promptHash
        self.rightInARow = rightInARow
        self.dueAt = dueAt
    }
}
