import Foundation
import Learning
import SQLKit

/// Quiz attempts per learner and topic, every answer in them, and the review schedule of missed
/// questions (see ``ReviewSchedule``), so scores persist and what was missed comes back later.
public protocol QuizRepository: Sendable {
    /// Stores an attempt with its answers and moves each answered question along its review schedule.
    @discardableResult
    func recordAttempt(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws -> QuizScore
    /// Moves reviewed questions along their schedule without counting as a quiz attempt (answering
    /// three due questions on the review page is not a score of 3 of 3 on the topic's quiz).
    func recordReview(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws
    /// Nil when the learner has never taken this topic's quiz.
    func scores(learnerID: String, topicID: String) async throws -> QuizScores?
    /// Missed questions due at `now`, every topic, the longest-waiting first.
    func due(learnerID: String, now: Int64) async throws -> [ReviewItem]
}

/// ``QuizRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLQuizRepository: QuizRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    @discardableResult
    public func recordAttempt(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws -> QuizScore {
        let score = QuizScore(correct: answers.filter(\.isCorrect).count, total: answers.count, takenAt: now)
        let attemptID = UUID().uuidString.lowercased()
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO quiz_attempts (id, learner_id, topic_id, correct, total, taken_at)
                VALUES (\(bind: attemptID), \(bind: learnerID), \(bind: topicID), \(bind: score.correct), \(bind: score.total), \(bind: now))
                """
            ).run()
            for answer in answers {
                try await sql.raw(
                    """
                    INSERT INTO quiz_answers (attempt_id, question_index, prompt_hash, is_correct)
                    VALUES (\(bind: attemptID), \(bind: answer.questionIndex), \(bind: answer.promptHash), \(bind: answer.isCorrect ? 1 : 0))
                    """
                ).run()
            }
            try await Self.advance(sql, learnerID: learnerID, topicID: topicID, answers: answers, now: now)
        }
        return score
    }

    public func recordReview(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws {
        try await database.transaction { sql in
            try await Self.advance(sql, learnerID: learnerID, topicID: topicID, answers: answers, now: now)
        }
    }

    /// Moves each answered question along its review schedule (see ``ReviewSchedule``).
    private static func advance(_ sql: any SQLDatabase, learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws {
        let schedule = try await Self.schedule(sql, learnerID: learnerID, topicID: topicID)
        for answer in answers {
            guard let next = ReviewSchedule.next(after: answer.isCorrect, current: schedule[answer.promptHash], now: now) else { continue }
            try await sql.raw(
                """
                INSERT INTO quiz_reviews (learner_id, topic_id, prompt_hash, question_index, right_in_a_row, due_at)
                VALUES (\(bind: learnerID), \(bind: topicID), \(bind: answer.promptHash), \(bind: answer.questionIndex), \(bind: next.rightInARow), \(bind: next.dueAt))
                ON CONFLICT (learner_id, topic_id, prompt_hash) DO UPDATE SET
                    question_index = excluded.question_index, right_in_a_row = excluded.right_in_a_row, due_at = excluded.due_at
                """
            ).run()
        }
    }

    public func scores(learnerID: String, topicID: String) async throws -> QuizScores? {
        let attempts = try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT correct, total, taken_at FROM quiz_attempts
                WHERE learner_id = \(bind: learnerID) AND topic_id = \(bind: topicID) ORDER BY taken_at
                """
            ).all().map { row in
                QuizScore(
                    correct: try row.decode(column: "correct", as: Int.self),
                    total: try row.decode(column: "total", as: Int.self),
                    takenAt: try row.decode(column: "taken_at", as: Int64.self)
                )
            }
        }
        guard let first = attempts.first, let latest = attempts.last else { return nil }
        let best = attempts.reduce(first) { best, next in
            next.correct * best.total >= best.correct * next.total ? next : best
        }
        return QuizScores(best: best, latest: latest, attempts: attempts.count)
    }

    public func due(learnerID: String, now: Int64) async throws -> [ReviewItem] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT topic_id, question_index, prompt_hash, right_in_a_row, due_at FROM quiz_reviews
                WHERE learner_id = \(bind: learnerID) AND due_at <= \(bind: now) ORDER BY due_at, topic_id, question_index
                """
            ).all().map { row in
                ReviewItem(
                    topicID: try row.decode(column: "topic_id", as: String.self),
                    questionIndex: try row.decode(column: "question_index", as: Int.self),
                    promptHash: try row.decode(column: "prompt_hash", as: String.self),
                    rightInARow: try row.decode(column: "right_in_a_row", as: Int.self),
                    dueAt: try row.decode(column: "due_at", as: Int64.self)
                )
            }
        }
    }

    /// The current review schedule of one learner's questions on one topic, by prompt hash.
    private static func schedule(_ sql: any SQLDatabase, learnerID: String, topicID: String) async throws -> [String: ReviewSchedule.Entry] {
        let rows = try await sql.raw(
            """
            SELECT prompt_hash, right_in_a_row, due_at FROM quiz_reviews WHERE learner_id = \(bind: learnerID) AND topic_id = \(bind: topicID)
            """
        ).all()
        var schedule: [String: ReviewSchedule.Entry] = [:]
        for row in rows {
            schedule[try row.decode(column: "prompt_hash", as: String.self)] = ReviewSchedule.Entry(
                rightInARow: try row.decode(column: "right_in_a_row", as: Int.self),
                dueAt: try row.decode(column: "due_at", as: Int64.self)
            )
        }
        return schedule
    }
}
