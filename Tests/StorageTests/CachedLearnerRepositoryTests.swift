import Foundation
import Learning
import Storage
import Synchronization
import TestSupport
import Testing

/// The cached quiz and SQL-practice repositories on both databases: a write through the cache (or
/// one announced by another instance) is seen by the next read, and a read that raced a write does
/// not leave its stale value behind.
@Suite("Cached learner repositories", .serialized)
struct CachedLearnerRepositoryTests {
    static let day: Int64 = 86_400
    static let start: Int64 = 1_700_000_000

    static func answers(_ hashes: [String], missed: Set<String> = []) -> [QuizAnswer] {
        hashes.enumerated().map { QuizAnswer(questionIndex: $0.offset, promptHash: $0.element, isCorrect: !missed.contains($0.element)) }
    }

    /// Runs `body` with a fresh database and the personal learner's id.
    static func withLearner(_ kind: DatabaseKind, _ body: @escaping @Sendable (Database, String) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let learner = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await body(database, learner.id)
            }
        }
    }

    @Test("quiz scores and the review schedule are read again after an attempt", arguments: DatabaseKind.allCases)
    func quizInvalidation(kind: DatabaseKind) async throws {
        try await Self.withLearner(kind) { database, learner in
            // setup: both cached while the learner has no attempts
            let base = SQLQuizRepository(database: database)
            let quiz = CachedQuizRepository(base, notices: ChangeNotices(), limits: CacheLimits())
            #expect(try await quiz.scores(learnerID: learner, topicID: "http") == nil)
            #expect(try await quiz.due(learnerID: learner, now: Self.start + 2 * Self.day).isEmpty)
            // MUT
            try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: Self.answers(["a", "b"], missed: ["b"]), now: Self.start)
            // validate
            #expect(try await quiz.scores(learnerID: learner, topicID: "http")?.attempts == 1)
            #expect(try await quiz.scores(learnerID: learner, topicID: "git") == nil)
            for now in [Self.start, Self.start + Self.day - 1, Self.start + Self.day, Self.start + 30 * Self.day] {
                #expect(try await quiz.due(learnerID: learner, now: now) == base.due(learnerID: learner, now: now), "due at \(now)")
            }
            #expect(try await quiz.due(learnerID: learner, now: Self.start + Self.day).map(\.promptHash) == ["b"])
        }
    }

    @Test("a quiz attempt made by another instance is seen once its notice arrives", arguments: DatabaseKind.allCases)
    func quizNoticeFromElsewhere(kind: DatabaseKind) async throws {
        try await Self.withLearner(kind) { database, learner in
            // setup
            let base = SQLQuizRepository(database: database)
            let notices = ChangeNotices()
            let quiz = CachedQuizRepository(base, notices: notices, limits: CacheLimits())
            #expect(try await quiz.scores(learnerID: learner, topicID: "http") == nil)
            try await base.recordAttempt(learnerID: learner, topicID: "http", answers: Self.answers(["a"], missed: ["a"]), now: Self.start)
            #expect(try await quiz.scores(learnerID: learner, topicID: "http") == nil, "still cached")
            // MUT
            notices.receive(.learner(learner))
            // validate
            #expect(try await quiz.scores(learnerID: learner, topicID: "http")?.attempts == 1)
            #expect(try await quiz.due(learnerID: learner, now: Self.start + Self.day).count == 1)
        }
    }

    @Test("quiz reads that raced an attempt are not kept", arguments: DatabaseKind.allCases)
    func quizRace(kind: DatabaseKind) async throws {
        try await Self.withLearner(kind) { database, learner in
            // setup: reads pause after reading, until the attempt is recorded
            let gate = ReadGate()
            let quiz = CachedQuizRepository(
                PausingQuizRepository(base: SQLQuizRepository(database: database), gate: gate),
                notices: ChangeNotices(), limits: CacheLimits())
            let answers = Self.answers(["a"], missed: ["a"])
            // MUT
            gate.arm()
            async let staleScores = quiz.scores(learnerID: learner, topicID: "http")
            await gate.waitUntilPaused()
            try await quiz.recordAttempt(learnerID: learner, topicID: "http", answers: answers, now: Self.start)
            gate.resume()
            #expect(try await staleScores == nil)
            gate.arm()
            async let staleDue = quiz.due(learnerID: learner, now: Self.start + Self.day)
            await gate.waitUntilPaused()
            try await quiz.recordAttempt(learnerID: learner, topicID: "git", answers: answers, now: Self.start)
            gate.resume()
            #expect(try await staleDue.count == 1)
            // validate
            #expect(try await quiz.scores(learnerID: learner, topicID: "http")?.attempts == 1)
            #expect(try await quiz.due(learnerID: learner, now: Self.start + Self.day).map(\.topicID) == ["git", "http"])
        }
    }

    @Test("SQL exercise progress is read again after an attempt", arguments: DatabaseKind.allCases)
    func exerciseInvalidation(kind: DatabaseKind) async throws {
        try await Self.withLearner(kind) { database, learner in
            // setup
            let progress = CachedExerciseProgressRepository(
                SQLExerciseProgressRepository(database: database), notices: ChangeNotices(), limits: CacheLimits())
            #expect(try await progress.progress(learnerID: learner).isEmpty)
            // MUT
            try await progress.recordAttempt(learnerID: learner, exerciseID: "every-warehouse", query: "SELECT 1", solved: true, now: Self.start)
            // validate
            let entry = try #require(try await progress.progress(learnerID: learner, exerciseID: "every-warehouse"))
            #expect(entry.solved && entry.attempts == 1)
            #expect(try await progress.progress(learnerID: learner).count == 1)
        }
    }

    @Test("an SQL progress read that raced an attempt is not kept", arguments: DatabaseKind.allCases)
    func exerciseRace(kind: DatabaseKind) async throws {
        try await Self.withLearner(kind) { database, learner in
            // setup
            let gate = ReadGate()
            let progress = CachedExerciseProgressRepository(
                PausingExerciseProgressRepository(base: SQLExerciseProgressRepository(database: database), gate: gate),
                notices: ChangeNotices(), limits: CacheLimits()
            )
            // MUT
            gate.arm()
            async let stale = progress.progress(learnerID: learner)
            await gate.waitUntilPaused()
            try await progress.recordAttempt(learnerID: learner, exerciseID: "every-warehouse", query: "SELECT 1", solved: false, now: Self.start)
            gate.resume()
            #expect(try await stale.isEmpty)
            // validate
            #expect(try await progress.progress(learnerID: learner, exerciseID: "every-warehouse")?.attempts == 1)
        }
    }
}

/// Holds one read, once armed, after it has read and before it returns, so a test can write in between.
final class ReadGate: Sendable {
    private let armed = Mutex(false)
    private let paused: AsyncStream<Void>
    private let pausedSignal: AsyncStream<Void>.Continuation
    private let resumed: AsyncStream<Void>
    private let resumeSignal: AsyncStream<Void>.Continuation

    init() {
        (paused, pausedSignal) = AsyncStream.makeStream(of: Void.self)
        (resumed, resumeSignal) = AsyncStream.makeStream(of: Void.self)
    }

    func arm() { armed.withLock { $0 = true } }

    /// Called by a read after reading: when armed, says so and waits for ``resume()``.
    func pauseIfArmed() async {
        guard
            armed.withLock({ armed in
                defer { armed = false }
                return armed
            })
        else { return }
        pausedSignal.yield()
        for await _ in resumed { return }
    }

    func waitUntilPaused() async {
        for await _ in paused { return }
    }

    func resume() { resumeSignal.yield() }
}

/// A quiz repository whose reads wait at a ``ReadGate``.
struct PausingQuizRepository: QuizRepository {
    let base: any QuizRepository
    let gate: ReadGate

    func recordAttempt(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws -> QuizScore {
        try await base.recordAttempt(learnerID: learnerID, topicID: topicID, answers: answers, now: now)
    }

    func recordReview(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws {
        try await base.recordReview(learnerID: learnerID, topicID: topicID, answers: answers, now: now)
    }

    func scores(learnerID: String, topicID: String) async throws -> QuizScores? {
        let scores = try await base.scores(learnerID: learnerID, topicID: topicID)
        await gate.pauseIfArmed()
        return scores
    }

    func due(learnerID: String, now: Int64) async throws -> [ReviewItem] {
        let due = try await base.due(learnerID: learnerID, now: now)
        await gate.pauseIfArmed()
        return due
    }
}

/// An SQL progress repository whose reads wait at a ``ReadGate``.
struct PausingExerciseProgressRepository: ExerciseProgressRepository {
    let base: any ExerciseProgressRepository
    let gate: ReadGate

    func recordAttempt(learnerID: String, exerciseID: String, query: String, solved: Bool, now: Int64) async throws {
        try await base.recordAttempt(learnerID: learnerID, exerciseID: exerciseID, query: query, solved: solved, now: now)
    }

    func progress(learnerID: String) async throws -> [String: ExerciseProgress] {
        let progress = try await base.progress(learnerID: learnerID)
        await gate.pauseIfArmed()
        return progress
    }

    func progress(learnerID: String, exerciseID: String) async throws -> ExerciseProgress? {
        let progress = try await base.progress(learnerID: learnerID, exerciseID: exerciseID)
        await gate.pauseIfArmed()
        return progress
    }
}
