import Learning
import Synchronization

// Caching decorators for the rest of what a topic page reads per learner: quiz scores, the review
// schedule, SQL practice progress. Same rules as CachedRepositories.swift: a write goes to the
// database first, then drops the learner's cached reads here and (through ``ChangeNotices``) on
// every other instance.

/// ``QuizRepository`` with each learner's scores (per topic, as they are asked for) and review
/// schedule cached.
///
/// The schedule is kept whole, every item with its due time, so ``due(learnerID:now:)`` is
/// answered from memory for any `now`: an item falls due by the clock, not by a write.
public struct CachedQuizRepository: QuizRepository {
    let base: any QuizRepository
    let notices: ChangeNotices
    let scoreCache: KeyedCache<TopicScores>
    let scheduleCache: KeyedCache<[ReviewItem]>

    public init(_ base: any QuizRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        scoreCache = notices.learnerCache(limits)
        scheduleCache = notices.learnerCache(limits)
    }

    @discardableResult
    public func recordAttempt(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws -> QuizScore {
        let score = try await base.recordAttempt(learnerID: learnerID, topicID: topicID, answers: answers, now: now)
        await notices.publish(.learner(learnerID))
        return score
    }

    public func recordReview(learnerID: String, topicID: String, answers: [QuizAnswer], now: Int64) async throws {
        try await base.recordReview(learnerID: learnerID, topicID: topicID, answers: answers, now: now)
        await notices.publish(.learner(learnerID))
    }

    /// One learner's scores fill in topic by topic; a write drops the learner's whole entry, so a
    /// read finishing after it lands in an entry no one looks at any more.
    public func scores(learnerID: String, topicID: String) async throws -> QuizScores? {
        let learner = try await scoreCache.value(learnerID) { TopicScores() }
        if let known = learner.scores(topicID) { return known.value }
        let value = try await base.scores(learnerID: learnerID, topicID: topicID)
        learner.store(value, topicID: topicID)
        return value
    }

    public func due(learnerID: String, now: Int64) async throws -> [ReviewItem] {
        let schedule = try await scheduleCache.value(learnerID) { try await base.due(learnerID: learnerID, now: .max) }
        return schedule.filter { $0.dueAt <= now }
    }
}

/// One learner's quiz scores by topic, filled in as topics are read (nil scores included: the
/// learner never took that quiz).
final class TopicScores: Sendable {
    struct Known: Sendable {
        let value: QuizScores?
    }

    private let byTopic = Mutex<[String: Known]>([:])

    func scores(_ topicID: String) -> Known? {
        byTopic.withLock { $0[topicID] }
    }

    func store(_ value: QuizScores?, topicID: String) {
        byTopic.withLock { $0[topicID] = Known(value: value) }
    }
}

/// ``ExerciseProgressRepository`` with each learner's progress on every exercise cached.
public struct CachedExerciseProgressRepository: ExerciseProgressRepository {
    let base: any ExerciseProgressRepository
    let notices: ChangeNotices
    let cache: KeyedCache<[String: ExerciseProgress]>

    public init(_ base: any ExerciseProgressRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        cache = notices.learnerCache(limits)
    }

    public func recordAttempt(learnerID: String, exerciseID: String, query: String, solved: Bool, now: Int64) async throws {
        try await base.recordAttempt(learnerID: learnerID, exerciseID: exerciseID, query: query, solved: solved, now: now)
        await notices.publish(.learner(learnerID))
    }

    public func progress(learnerID: String) async throws -> [String: ExerciseProgress] {
        try await cache.value(learnerID) { try await base.progress(learnerID: learnerID) }
    }

    public func progress(learnerID: String, exerciseID: String) async throws -> ExerciseProgress? {
        try await progress(learnerID: learnerID)[exerciseID]
    }
}

/// ``NoteRepository`` with each learner's notes cached: a topic page reads the learner's note on
/// every view, and notes change far less often than they are read.
public struct CachedNoteRepository: NoteRepository {
    let base: any NoteRepository
    let notices: ChangeNotices
    let cache: KeyedCache<[Note]>

    /// Notes can be large (64 kB each), so fewer learners' notes are kept than other reads.
    public init(_ base: any NoteRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        var limits = limits
        limits.entries = min(limits.entries, 256)
        cache = notices.learnerCache(limits)
    }

    public func save(learnerID: String, topicID: String, text: String, now: Int64) async throws -> Note {
        let note = try await base.save(learnerID: learnerID, topicID: topicID, text: text, now: now)
        await notices.publish(.learner(learnerID))
        return note
    }

    public func note(learnerID: String, topicID: String) async throws -> Note? {
        try await notes(learnerID: learnerID).first { $0.topicID == topicID }
    }

    public func notes(learnerID: String) async throws -> [Note] {
        try await cache.value(learnerID) { try await base.notes(learnerID: learnerID) }
    }

    public func delete(learnerID: String, topicID: String) async throws -> Bool {
        let deleted = try await base.delete(learnerID: learnerID, topicID: topicID)
        await notices.publish(.learner(learnerID))
        return deleted
    }
}
