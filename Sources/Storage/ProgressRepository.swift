import SQLKit

/// Where a learner stands on one topic.
public enum ProgressState: String, Sendable, CaseIterable, Codable {
    case todo, learning, done, skipped
}

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

    public init(database: Database) { self.database = database }

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

    /// Acknowledged once durable; on SQLite, states saved at the same moment share one commit.
    public func setState(_ state: ProgressState, learnerID: String, topicID: String) async throws {
        let now = Clock.nowSeconds()
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO progress (learner_id, topic_id, state, updated_at)
                VALUES (\(bind: learnerID), \(bind: topicID), \(bind: state.rawValue), \(bind: now))
                ON CONFLICT (learner_id, topic_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """).run()
        }
    }
}
