import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Transactions under concurrency, on both databases. On SQLite, transactions that arrive together
/// share one commit (see SQLiteWriter): each caller must still get its own outcome.
@Suite("Transactions", .serialized)
struct TransactionTests {
    @Test("many learners saving at once: every write is stored; one that breaks a rule fails alone", arguments: DatabaseKind.allCases)
    func concurrentWrites(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let users = SQLUserRepository(database: database)
                let learners = try await (0..<40).asyncMap {
                    try await users.create(email: "learner\($0)@example.org", passwordHash: "!", role: .learner)
                }
                // MUT: forty writes at once, one of them with a state the table refuses
                let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
                    for (index, learner) in learners.enumerated() {
                        group.addTask {
                            let state = index == 17 ? "finished" : "done"
                            do {
                                try await database.transaction { sql in
                                    try await sql.raw(
                                        """
                                        INSERT INTO progress (learner_id, topic_id, state, updated_at)
                                        VALUES (\(bind: learner.id), 'http', \(bind: state), 0)
                                        """
                                    ).run()
                                }
                                return (index, true)
                            } catch {
                                return (index, false)
                            }
                        }
                    }
                    return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
                }
                // validate
                #expect(outcomes.filter { !$0.value }.map(\.key) == [17])
                let progress = SQLProgressRepository(database: database)
                for (index, learner) in learners.enumerated() {
                    let stored = try await progress.state(learnerID: learner.id, topicID: "http")
                    #expect(stored == (index == 17 ? .todo : .done), "learner \(index)")
                }
            }
        }
    }

    @Test("progress saved by many learners at once is all stored; a save for an unknown learner fails alone", arguments: DatabaseKind.allCases)
    func concurrentProgress(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let users = SQLUserRepository(database: database)
                let learners = try await (0..<40).asyncMap {
                    try await users.create(email: "learner\($0)@example.org", passwordHash: "!", role: .learner)
                }
                let progress = SQLProgressRepository(database: database)
                // MUT: forty learners save two topics each at once, and someone unknown saves one
                let failed = await withTaskGroup(of: String?.self) { group in
                    for learner in learners {
                        for topic in ["http", "sql"] {
                            group.addTask { (try? await progress.setState(.done, learnerID: learner.id, topicID: topic)) == nil ? learner.id : nil }
                        }
                    }
                    group.addTask { (try? await progress.setState(.done, learnerID: "nobody", topicID: "http")) == nil ? "nobody" : nil }
                    return await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
                }
                // validate
                #expect(failed == ["nobody"])
                for learner in learners {
                    #expect(try await progress.states(learnerID: learner.id) == ["http": .done, "sql": .done])
                }
            }
        }
    }

    @Test("a transaction that throws leaves nothing behind, and returns its error to its caller", arguments: DatabaseKind.allCases)
    func rollback(kind: DatabaseKind) async throws {
        struct Refused: Error {}
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let learner = try await SQLUserRepository(database: database).create(email: "ada@example.org", passwordHash: "!", role: .learner)
                // MUT
                await #expect(throws: Refused.self) {
                    try await database.transaction { sql in
                        try await sql.raw(
                            """
                            INSERT INTO progress (learner_id, topic_id, state, updated_at) VALUES (\(bind: learner.id), 'http', 'done', 0)
                            """
                        ).run()
                        throw Refused()
                    }
                }
                // validate
                #expect(try await SQLProgressRepository(database: database).states(learnerID: learner.id).isEmpty)
            }
        }
    }

    @Test(
        "closing the database while a query runs: SQLite lets it finish first (closing used to free the connection under it), PostgreSQL ends it with a clear error",
        arguments: DatabaseKind.allCases)
    func closeWaitsForRunningQueries(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            let database = try await location.open()
            // setup: a query that takes a while
            let counting = Task {
                try await database.withSQL { sql in
                    try await sql.raw(
                        """
                        WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) AS n FROM c
                        """
                    ).first()?.decode(column: "n", as: Int.self)
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            // MUT
            await database.close()
            // validate: the running query got its answer (or, on PostgreSQL, an error that says the
            // database is not answering); later ones are refused cleanly
            switch kind {
            case .sqlite: #expect(try await counting.value == 2_000_000)
            case .postgres: await #expect(throws: DatabaseUnavailable.self) { try await counting.value }
            }
            await #expect(throws: (any Error).self) { try await database.withSQL { sql in try await sql.raw("SELECT 1").run() } }
        }
    }
}

extension Sequence {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
