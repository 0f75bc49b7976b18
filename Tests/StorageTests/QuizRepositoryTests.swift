import Foundation
import Learning
import SQLKit
import Storage
import TestSupport
import Testing

/// Quiz attempts and the review schedule on both databases: scores come back, every answer is kept,
/// and missed questions return on the spaced-repetition schedule.
@Suite("Quiz storage", .serialized)
struct QuizRepositoryTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_700_000_000

    /// Answers to a quiz of `hashes.count` questions; the ones listed in `missed` are wrong.
    static func answers(_ hashes: [String], missed: Set<String> = []) -> [QuizAnswer] {
        hashes.enumerated().map { QuizAnswer(questionIndex: $0.offset, promptHash: $0.element, isCorrect: !missed.contains($0.element)) }
    }

    /// Runs `body` with a fresh database, its quiz repository and the personal learner's id.
    static func withQuiz(_ kind: DatabaseKind, _ body: @escaping @Sendable (Database, SQLQuizRepository, String) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let learner = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await body(database, SQLQuizRepository(database: database), learner.id)
            }
        }
    }

    @Test("an attempt stores its score and every answer; best and latest are told apart", arguments: DatabaseKind.allCases)
    func attemptsAndScores(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { database, quiz, learner in
            // setup
            let questions = ["a", "b", "c"]
            try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: Self.answers(questions, missed: ["b"]), now: Self.start)
            try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: Self.answers(questions), now: Self.start + 60)
            // MUT
            let latest = try await quiz.recordAttempt(
                learnerID: learner, topicID: "http", answers: Self.answers(questions, missed: ["a", "c"]), now: Self.start + 120)
            // validate
            #expect(latest.correct == 1 && latest.total == 3)
            let scores = try #require(try await quiz.scores(learnerID: learner, topicID: "http"))
            #expect(scores.best.correct == 3 && scores.best.takenAt == Self.start + 60)
            #expect(scores.latest.correct == 1 && scores.latest.takenAt == Self.start + 120)
            #expect(scores.attempts == 3)
            let missed = try await database.withSQL { sql in
                try await sql.raw(
                    """
                    SELECT quiz_answers.prompt_hash FROM quiz_answers JOIN quiz_attempts ON quiz_attempts.id = quiz_answers.attempt_id
                    WHERE quiz_answers.is_correct = 0 ORDER BY quiz_attempts.taken_at, quiz_answers.question_index
                    """
                ).all().map { try $0.decode(column: "prompt_hash", as: String.self) }
            }
            #expect(missed == ["b", "a", "c"])
        }
    }

    @Test(
        "the best score is the larger share right even when the quiz changed length; a tie goes to the later attempt",
        arguments: DatabaseKind.allCases)
    func bestIsTheLargerShare(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { _, quiz, learner in
            // setup: 3 of 4 (75%), then 4 of 5 (80%) after a question was added, then 4 of 5 again
            try await quiz.recordAttempt(
                learnerID: learner, topicID: "sql", answers: Self.answers(["a", "b", "c", "d"], missed: ["d"]), now: Self.start)
            try await quiz.recordAttempt(
                learnerID: learner, topicID: "sql", answers: Self.answers(["a", "b", "c", "d", "e"], missed: ["e"]), now: Self.start + 10)
            // MUT
            try await quiz.recordAttempt(
                learnerID: learner, topicID: "sql", answers: Self.answers(["a", "b", "c", "d", "e"], missed: ["a"]), now: Self.start + 20)
            // validate
            let best = try #require(try await quiz.scores(learnerID: learner, topicID: "sql")).best
            #expect(best.correct == 4 && best.total == 5 && best.takenAt == Self.start + 20)
            #expect(best.percent == 80)
        }
    }

    @Test(
        "a missed question comes back after 1, 3, 7, 16 days while it is answered right, and a miss starts it over", arguments: DatabaseKind.allCases)
    func spacedRepetition(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { _, quiz, learner in
            // setup: "a" is missed
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"], missed: ["a"]), now: Self.start)
            var now = Self.start
            // MUT + validate: each right answer on the due day pushes the next review further out
            for (rightInARow, days) in [(0, 1), (1, 3), (2, 7), (3, 16)] as [(Int, Int64)] {
                #expect(try await quiz.due(learnerID: learner, now: now + days * Self.day - 1).isEmpty, "not due before \(days) days")
                let item = try #require(try await quiz.due(learnerID: learner, now: now + days * Self.day).first)
                #expect(item.promptHash == "a" && item.topicID == "git" && item.rightInARow == rightInARow)
                now += days * Self.day
                try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"]), now: now)
            }
            // a miss on the next due day resets the question to one day
            now += 35 * Self.day
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"], missed: ["a"]), now: now)
            #expect(try await quiz.due(learnerID: learner, now: now + Self.day - 1).isEmpty)
            let reset = try #require(try await quiz.due(learnerID: learner, now: now + Self.day).first)
            #expect(reset.rightInARow == 0)
        }
    }

    @Test("a right answer before the question is due changes nothing; a question never missed is never due", arguments: DatabaseKind.allCases)
    func earlyRightAnswersDoNotCount(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { _, quiz, learner in
            // setup
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"], missed: ["a"]), now: Self.start)
            // MUT: the learner retakes the quiz an hour later, having just read the explanation
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"]), now: Self.start + 3_600)
            // validate
            let due = try await quiz.due(learnerID: learner, now: Self.start + Self.day)
            #expect(due.map(\.promptHash) == ["a"])
            #expect(due.first?.rightInARow == 0)
            #expect(due.first?.dueAt == Self.start + Self.day)
        }
    }

    @Test("a reordered question keeps its schedule; due questions are listed longest-waiting first", arguments: DatabaseKind.allCases)
    func identityIsThePromptHash(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { _, quiz, learner in
            // setup: "b" missed at position 1 on one topic, "x" missed a day later on another
            try await quiz.recordAttempt(learnerID: learner, topicID: "sql", answers: Self.answers(["a", "b"], missed: ["b"]), now: Self.start)
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["x"], missed: ["x"]), now: Self.start + Self.day)
            // MUT: the author moved "b" to the front; the learner answers it right when it is due
            try await quiz.recordAttempt(learnerID: learner, topicID: "sql", answers: Self.answers(["b", "a"]), now: Self.start + Self.day)
            // validate
            let due = try await quiz.due(learnerID: learner, now: Self.start + 10 * Self.day)
            #expect(due.map(\.promptHash) == ["x", "b"])
            #expect(due.last?.questionIndex == 0)
            #expect(due.last?.rightInARow == 1)
        }
    }

    @Test("a review answer moves the question along its schedule but is no quiz attempt", arguments: DatabaseKind.allCases)
    func reviewsAreNotAttempts(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { _, quiz, learner in
            // setup: "a" missed, "b" right, on the same topic
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: Self.answers(["a", "b"], missed: ["a"]), now: Self.start)
            // MUT: the learner answers "a" right on the review page once it is due
            try await quiz.recordReview(
                learnerID: learner, topicID: "git", answers: [QuizAnswer(questionIndex: 0, promptHash: "a", isCorrect: true)],
                now: Self.start + Self.day)
            // validate: not due again for 3 days; the quiz record is still the one attempt, 1 of 2
            #expect(try await quiz.due(learnerID: learner, now: Self.start + 4 * Self.day - 1).isEmpty)
            #expect(try await quiz.due(learnerID: learner, now: Self.start + 4 * Self.day).first?.rightInARow == 1)
            let scores = try #require(try await quiz.scores(learnerID: learner, topicID: "git"))
            #expect(scores.attempts == 1)
            #expect(scores.latest.correct == 1)
        }
    }

    @Test("learners and topics are kept apart; a quiz never taken has no scores", arguments: DatabaseKind.allCases)
    func learnersAreKeptApart(kind: DatabaseKind) async throws {
        try await Self.withQuiz(kind) { database, quiz, learner in
            // setup
            let other = try await SQLUserRepository(database: database).create(email: "bob@example.org", passwordHash: "x", role: .learner)
            // MUT
            try await quiz.recordAttempt(learnerID: other.id, topicID: "http", answers: Self.answers(["a"], missed: ["a"]), now: Self.start)
            // validate
            #expect(try await quiz.scores(learnerID: learner, topicID: "http") == nil)
            #expect(try await quiz.scores(learnerID: other.id, topicID: "git") == nil)
            #expect(try await quiz.due(learnerID: learner, now: Self.start + 100 * Self.day).isEmpty)
            #expect(try await quiz.due(learnerID: other.id, now: Self.start + 100 * Self.day).count == 1)
        }
    }

    @Test("an attempt survives closing and reopening the database", arguments: DatabaseKind.allCases)
    func attemptsSurviveRestart(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            // setup
            try await location.use { database in
                let learner = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await SQLQuizRepository(database: database).recordAttempt(
                    learnerID: learner.id, topicID: "http", answers: Self.answers(["a", "b"], missed: ["b"]), now: Self.start)
            }
            // MUT: a new process opens the same database
            let scores = try await location.use { database in
                try await SQLQuizRepository(database: database).scores(learnerID: "personal", topicID: "http")
            }
            // validate
            #expect(scores?.latest.correct == 1)
            #expect(scores?.latest.total == 2)
        }
    }
}
