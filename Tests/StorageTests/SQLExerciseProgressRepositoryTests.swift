import Foundation
import Storage
import TestSupport
import Testing

/// SQL exercise progress on both databases: attempts are counted, the last query is kept, a solve
/// is never taken back, and learners are kept apart.
@Suite("SQL exercise progress storage", .serialized)
struct SQLExerciseProgressRepositoryTests {
    static let start: Int64 = 1_700_000_000

    /// Runs `body` with a fresh database, its repository and the personal learner's id.
    static func withProgress(_ kind: DatabaseKind, _ body: @escaping @Sendable (Database, SQLExerciseProgressRepository, String) async throws -> Void)
        async throws
    {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let learner = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await body(database, SQLExerciseProgressRepository(database: database), learner.id)
            }
        }
    }

    @Test("attempts are counted and the last query is kept; a never-tried exercise has no progress", arguments: DatabaseKind.allCases)
    func attempts(kind: DatabaseKind) async throws {
        try await Self.withProgress(kind) { _, progress, learner in
            // setup
            try await progress.recordAttempt(
                learnerID: learner, exerciseID: "every-warehouse", query: "SELECT name FROM warehouses", solved: false, now: Self.start)
            // MUT
            try await progress.recordAttempt(
                learnerID: learner, exerciseID: "every-warehouse", query: "SELECT name, city FROM warehouses", solved: false, now: Self.start + 60)
            // validate
            let entry = try #require(try await progress.progress(learnerID: learner, exerciseID: "every-warehouse"))
            #expect(entry.attempts == 2)
            #expect(entry.lastQuery == "SELECT name, city FROM warehouses")
            #expect(!entry.solved && entry.solvedAt == nil)
            #expect(entry.updatedAt == Self.start + 60)
            #expect(try await progress.progress(learnerID: learner, exerciseID: "orders-by-status") == nil)
        }
    }

    @Test("a solve is kept when a later attempt is wrong, with the time of the first solve", arguments: DatabaseKind.allCases)
    func solvedStaysSolved(kind: DatabaseKind) async throws {
        try await Self.withProgress(kind) { _, progress, learner in
            // setup
            try await progress.recordAttempt(learnerID: learner, exerciseID: "orders-by-status", query: "SELECT 1", solved: false, now: Self.start)
            try await progress.recordAttempt(
                learnerID: learner, exerciseID: "orders-by-status", query: "SELECT status, COUNT(*) FROM orders GROUP BY status", solved: true,
                now: Self.start + 10)
            // MUT
            try await progress.recordAttempt(
                learnerID: learner, exerciseID: "orders-by-status", query: "SELECT oops", solved: false, now: Self.start + 20)
            // validate
            let entry = try #require(try await progress.progress(learnerID: learner)["orders-by-status"])
            #expect(entry.solved)
            #expect(entry.solvedAt == Self.start + 10)
            #expect(entry.attempts == 3)
            #expect(entry.lastQuery == "SELECT oops")
        }
    }

    @Test("learners are kept apart, and every exercise a learner tried is listed", arguments: DatabaseKind.allCases)
    func learnersApart(kind: DatabaseKind) async throws {
        try await Self.withProgress(kind) { database, progress, learner in
            // setup
            let other = try await SQLUserRepository(database: database).create(email: "bob@example.org", passwordHash: "x", role: .learner)
            try await progress.recordAttempt(learnerID: learner, exerciseID: "a", query: "SELECT 1", solved: true, now: Self.start)
            try await progress.recordAttempt(learnerID: learner, exerciseID: "b", query: "SELECT 2", solved: false, now: Self.start)
            // MUT
            try await progress.recordAttempt(learnerID: other.id, exerciseID: "a", query: "SELECT 3", solved: false, now: Self.start)
            // validate
            let mine = try await progress.progress(learnerID: learner)
            let theirs = try await progress.progress(learnerID: other.id)
            #expect(Set(mine.keys) == ["a", "b"])
            #expect(mine["a"]?.solved == true && mine["a"]?.lastQuery == "SELECT 1")
            #expect(theirs.count == 1 && theirs["a"]?.solved == false)
        }
    }

    @Test("a query with quotes, newlines and non-ASCII text comes back exactly, after a restart", arguments: DatabaseKind.allCases)
    func queryTextSurvivesRestart(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            // setup
            let query = "SELECT last_name\nFROM customers\nWHERE last_name = 'O''Brien' -- Müller? ✓"
            try await location.use { database in
                let learner = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await SQLExerciseProgressRepository(database: database).recordAttempt(
                    learnerID: learner.id, exerciseID: "a", query: query, solved: true, now: Self.start)
            }
            // MUT: a new process opens the same database
            let entry = try await location.use { database in
                try await SQLExerciseProgressRepository(database: database).progress(learnerID: "personal", exerciseID: "a")
            }
            // validate
            #expect(entry?.lastQuery == query)
            #expect(entry?.solved == true)
        }
    }
}
