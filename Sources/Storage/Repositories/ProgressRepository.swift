import Learning
import SQLKit

/// Stores each learner's state per topic, keyed by the topic's stable id, so progress outlives
/// edits to the content: a topic that disappears and comes back shows its old state again.
public protocol ProgressRepository: Sendable {
    /// Every stored state of one learner, by topic id (topics never touched are absent: they are todo).
    func states(learnerID: String) async throws -> [String: ProgressState]
    func state(learnerID: String, topicID: String) async throws -> ProgressState
    func setState(_ state: ProgressState, learnerID: String, topicID: String) async throws
}

/// ``ProgressRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLProgressRepository: ProgressRepository {
    let database: Database
    private let writes: Batcher<StateWrite, Void>

    private struct StateWrite: Sendable {
        let learnerID: String
        let topicID: String
        let state: ProgressState
        let at: Int64
    }

    public init(database: Database) {
        self.database = database
        writes = Batcher { batch in
            try await database.transaction { sql in try await Self.store(batch, sql) }
            return batch.map { _ in () }
        }
    }

    public func states(learnerID: String) async throws -> [String: ProgressState] {
        try await database.withSQL { sql in
            let rows = try await sql.raw("SELECT topic_id, state FROM progress WHERE learner_id = \(bind: learnerID)").all()
            var states: [String: ProgressState] = [:]
            for row in rows {
                let state = ProgressState(rawValue: try row.decode(column: "state", as: String.self)) ?? .todo
                states[try row.decode(column: "topic_id", as: String.self)] = state
            }
            return states
        }
    }

    public func state(learnerID: String, topicID: String) async throws -> ProgressState {
        try await database.withSQL { sql in
            let row = try await sql.raw("SELECT state FROM progress WHERE learner_id = \(bind: learnerID) AND topic_id = \(bind: topicID)").first()
            return try row.flatMap { ProgressState(rawValue: try $0.decode(column: "state", as: String.self)) } ?? .todo
        }
    }

    /// Acknowledged once durable. States saved at the same moment are stored by one statement in
    /// one transaction (on SQLite, one fsync for all of them).
    public func setState(_ state: ProgressState, learnerID: String, topicID: String) async throws {
        try await writes.submit(StateWrite(learnerID: learnerID, topicID: topicID, state: state, at: WallClock.nowSeconds()))
    }

    /// One upsert per 200 rows; for a learner and topic saved twice in a batch the later state wins
    /// (PostgreSQL refuses to update one row twice in a statement).
    private static func store(_ batch: [StateWrite], _ sql: any SQLDatabase) async throws {
        var latest: [String: Int] = [:]
        var rows: [StateWrite] = []
        for write in batch {
            let key = write.learnerID + "\u{0}" + write.topicID
            if let index = latest[key] {
                rows[index] = write
            } else {
                latest[key] = rows.count
                rows.append(write)
            }
        }
        for start in stride(from: 0, to: rows.count, by: 200) {
            var insert = sql.insert(into: "progress").columns("learner_id", "topic_id", "state", "updated_at")
            for row in rows[start..<min(start + 200, rows.count)] {
                insert = insert.values(SQLBind(row.learnerID), SQLBind(row.topicID), SQLBind(row.state.rawValue), SQLBind(row.at))
            }
            try await insert.onConflict(with: ["learner_id", "topic_id"]) { update in
                update.set(excludedValueOf: "state").set(excludedValueOf: "updated_at")
            }.run()
        }
    }
}
