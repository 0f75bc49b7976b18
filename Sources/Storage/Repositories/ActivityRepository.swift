import Learning
import SQLKit

/// What a learner did on each day, read from what is already stored: questions answered (each
/// quiz attempt counts its questions), lab runs, SQL exercises worked on and topics whose state
/// changed. The two last keep only their latest change, so older changes of the same exercise or
/// topic are not counted twice.
public protocol ActivityRepository: Sendable {
    /// The number of things done on each day (days since 1970-01-01, UTC) from `since` on
    /// (seconds); days without any are absent.
    func activity(learnerID: String, since: Int64) async throws -> [Int: Int]
}

/// ``ActivityRepository`` over SQL (SQLite or PostgreSQL; the same statement on both).
public struct SQLActivityRepository: ActivityRepository {
    let database: Database

    public init(database: Database) {
        self.database = database
    }

    public func activity(learnerID: String, since: Int64) async throws -> [Int: Int] {
        try await database.withSQL { sql in
            let rows = try await sql.raw(
                """
                SELECT day, CAST(SUM(n) AS BIGINT) AS n FROM (
                    SELECT taken_at / 86400 AS day, total AS n FROM quiz_attempts WHERE learner_id = \(bind: learnerID) AND taken_at >= \(bind: since)
                    UNION ALL
                    SELECT started_at / 86400, 1 FROM lab_runs WHERE learner_id = \(bind: learnerID) AND started_at >= \(bind: since)
                    UNION ALL
                    SELECT updated_at / 86400, 1 FROM sql_exercise_progress WHERE learner_id = \(bind: learnerID) AND updated_at >= \(bind: since)
                    UNION ALL
                    SELECT updated_at / 86400, 1 FROM progress WHERE learner_id = \(bind: learnerID) AND updated_at >= \(bind: since)
                ) AS events GROUP BY day
                """
            ).all()
            var days: [Int: Int] = [:]
            for row in rows {
                days[Int(try row.decode(column: "day", as: Int64.self))] = Int(try row.decode(column: "n", as: Int64.self))
            }
            return days
        }
    }
}
