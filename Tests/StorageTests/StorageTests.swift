import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Every repository on both databases: what a learner stores must come back, survive a restart,
/// and never mix with another learner's.
@Suite("Storage", .serialized)
struct StorageTests {
    @Test("migrations create the schema once; running them again changes nothing", arguments: DatabaseKind.allCases)
    func migrationsAreIdempotent(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // MUT: run again on an up-to-date schema
                let applied = try await Migrations.run(on: database, logger: TestDatabase.logger)
                // validate
                #expect(applied.isEmpty)
                let versions = try await database.withSQL { try await $0.raw("SELECT version FROM schema_migrations").all() }
                #expect(versions.count == Migrations.latestVersion)
            }
        }
    }

    @Test("a topic marked done is still done after the database is closed and reopened", arguments: DatabaseKind.allCases)
    func progressSurvivesRestart(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            // setup
            let learner = try await location.use { database in
                let user = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await SQLProgressRepository(database: database).setState(.done, learnerID: user.id, topicID: "http")
                return user
            }
            // MUT: a new process opens the same database
            let state = try await location.use { database in
                try await SQLProgressRepository(database: database).state(learnerID: learner.id, topicID: "http")
            }
            // validate
            #expect(state == .done)
        }
    }

    @Test("changing a state replaces it; untouched topics read as todo; learners are kept apart", arguments: DatabaseKind.allCases)
    func progressUpsertsPerLearner(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let progress = SQLProgressRepository(database: database)
                let ada = try await users.create(email: "ada@example.org", passwordHash: "x", role: .learner)
                let bob = try await users.create(email: "bob@example.org", passwordHash: "x", role: .learner)

                try await progress.setState(.learning, learnerID: ada.id, topicID: "sql")
                try await progress.setState(.done, learnerID: ada.id, topicID: "sql")
                try await progress.setState(.skipped, learnerID: bob.id, topicID: "git")

                #expect(try await progress.states(learnerID: ada.id) == ["sql": .done])
                #expect(try await progress.states(learnerID: bob.id) == ["git": .skipped])
                #expect(try await progress.state(learnerID: ada.id, topicID: "git") == .todo)
            }
        }
    }

    @Test("a state outside todo/learning/done/skipped is refused by the database itself", arguments: DatabaseKind.allCases)
    func progressStateIsConstrained(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let user = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                let error = await #expect(throws: (any Error).self) {
                    try await database.withSQL { sql in
                        try await sql.raw(
                            "INSERT INTO progress (learner_id, topic_id, state, updated_at) VALUES (\(bind: user.id), 'x', 'finished', 0)"
                        ).run()
                    }
                }
                #expect(error.map(isCheckConstraintViolation) == true, "\(String(describing: error))")
                #expect(try await SQLProgressRepository(database: database).states(learnerID: user.id).isEmpty)
            }
        }
    }

    @Test("emails are unique regardless of case, and a duplicate sign-up leaves the first account intact", arguments: DatabaseKind.allCases)
    func emailsAreUnique(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let first = try await users.create(email: "Ada@Example.org", passwordHash: "first", role: .admin)
                await #expect(throws: EmailTaken.self) {
                    _ = try await users.create(email: "ada@example.org", passwordHash: "second", role: .learner)
                }
                let found = try await users.find(email: "ADA@example.org")
                #expect(found == first)
                #expect(found?.passwordHash == "first")
                #expect(found?.isAdmin == true)
            }
        }
    }

    @Test("a session finds its user until it expires or is deleted", arguments: DatabaseKind.allCases)
    func sessionsExpireAndEnd(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let user = try await SQLUserRepository(database: database).create(email: "s@example.org", passwordHash: "x", role: .learner)
                let sessions = SQLSessionRepository(database: database)
                try await sessions.create(tokenHash: "live", userID: user.id, expiresAt: 2_000)
                try await sessions.create(tokenHash: "old", userID: user.id, expiresAt: 500)

                #expect(try await sessions.user(tokenHash: "live", now: 1_000)?.id == user.id)
                #expect(try await sessions.user(tokenHash: "old", now: 1_000) == nil)
                #expect(try await sessions.deleteExpired(now: 1_000) == 1)

                try await sessions.delete(tokenHash: "live")
                #expect(try await sessions.user(tokenHash: "live", now: 1_000) == nil)
            }
        }
    }

    @Test("API tokens: listed without secrets, found by hash, revoked only by their owner", arguments: DatabaseKind.allCases)
    func tokensBelongToTheirOwner(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let tokens = SQLTokenRepository(database: database)
                let owner = try await users.create(email: "o@example.org", passwordHash: "x", role: .learner)
                let other = try await users.create(email: "p@example.org", passwordHash: "x", role: .learner)
                let token = try await tokens.create(userID: owner.id, name: "laptop", tokenHash: "hash-1")

                #expect(try await tokens.list(userID: owner.id).map(\.name) == ["laptop"])
                #expect(try await tokens.user(tokenHash: "hash-1")?.id == owner.id)
                #expect(try await tokens.list(userID: owner.id).first?.lastUsedAt != nil)
                #expect(try await tokens.revoke(id: token.id, userID: other.id) == false)
                #expect(try await tokens.revoke(id: token.id, userID: owner.id) == true)
                #expect(try await tokens.user(tokenHash: "hash-1") == nil)
            }
        }
    }

    @Test("concurrent writers on one database all land", arguments: DatabaseKind.allCases)
    func concurrentWritesAllLand(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let user = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                let progress = SQLProgressRepository(database: database)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<40 {
                        group.addTask { try await progress.setState(.done, learnerID: user.id, topicID: "topic-\(index)") }
                    }
                    try await group.waitForAll()
                }
                #expect(try await progress.states(learnerID: user.id).count == 40)
            }
        }
    }

    @Test("a transaction that fails leaves nothing behind", arguments: DatabaseKind.allCases)
    func failedTransactionRollsBack(kind: DatabaseKind) async throws {
        struct Abort: Error {}
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let user = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                await #expect(throws: Abort.self) {
                    try await database.transaction { sql in
                        try await sql.raw("INSERT INTO progress (learner_id, topic_id, state, updated_at) VALUES (\(bind: user.id), 'a', 'done', 0)")
                            .run()
                        throw Abort()
                    }
                }
                #expect(try await SQLProgressRepository(database: database).states(learnerID: user.id).isEmpty)
            }
        }
    }

    @Test("SQLite runs in WAL mode with synchronous=FULL, so acknowledged writes survive a machine crash")
    func sqliteDurabilitySettings() async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                let mode = try await database.withSQL {
                    try await $0.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self)
                }
                let synchronous = try await database.withSQL {
                    try await $0.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
                }
                #expect(mode == "wal")
                #expect(synchronous == 2)  // 2 = FULL
            }
        }
    }

    @Test("an unreachable PostgreSQL gives one clear error naming the address")
    func unreachablePostgres() async throws {
        // Port 1 on loopback: nothing listens there.
        let error = await #expect(throws: DatabaseError.self) {
            _ = try await Database.postgres(url: "postgres://nobody@127.0.0.1:1/none", logger: TestDatabase.logger)
        }
        #expect(error?.description.contains("cannot connect to PostgreSQL at 127.0.0.1:1") == true)
    }

    @Test(
        "a malformed database URL says which part is wrong",
        arguments: [
            ("mysql://u@h/db", "is not a PostgreSQL URL"),
            ("postgres://u@/db", "has no host"),
            ("postgres://127.0.0.1:5432/db", "has no user name"),
            ("postgres://u@127.0.0.1:5432/", "names no database"),
        ])
    func malformedPostgresURL(url: String, message: String) async throws {
        let error = await #expect(throws: DatabaseError.self) {
            _ = try await Database.postgres(url: url, logger: TestDatabase.logger)
        }
        #expect(error?.description.contains(message) == true)
    }
}
