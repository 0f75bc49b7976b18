import Learning
import SQLKit

/// Each learner's SQL practice, per exercise (keyed by the exercise's stable id): solved or not,
/// how many attempts, and the last query, so the practice pages show progress and the learner's
/// SQL is still there when they come back.
public protocol ExerciseProgressRepository: Sendable {
    /// Records one attempt; `solved` is this attempt's verdict (an earlier solve is kept).
    func recordAttempt(learnerID: String, exerciseID: String, query: String, solved: Bool, now: Int64) async throws
    /// Every exercise the learner has tried, by exercise id.
    func progress(learnerID: String) async throws -> [String: ExerciseProgress]
    /// Nil when the learner has never tried the exercise.
    func progress(learnerID: String, exerciseID: String) async throws -> ExerciseProgress?
}

/// ``ExerciseProgressRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLExerciseProgressRepository: ExerciseProgressRepository {
    let database: Database
    static let columns = "exercise_id, solved, attempts, last_query, solved_at, updated_at"

    public init(database: Database) { self.database = database }

    public func recordAttempt(learnerID: String, exerciseID: String, query: String, solved: Bool, now: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO sql_exercise_progress (learner_id, exercise_id, solved, attempts, last_query, solved_at, updated_at)
                VALUES (\(bind: learnerID), \(bind: exerciseID), \(bind: solved ? 1 : 0), 1, \(bind: query), \(bind: solved ? now : nil), \(bind: now))
                ON CONFLICT (learner_id, exercise_id) DO UPDATE SET
                    solved = CASE WHEN sql_exercise_progress.solved = 1 THEN 1 ELSE excluded.solved END,
                    attempts = sql_exercise_progress.attempts + 1,
                    last_query = excluded.last_query,
                    solved_at = COALESCE(sql_exercise_progress.solved_at, excluded.solved_at),
                    updated_at = excluded.updated_at
                """
            ).run()
        }
    }

    public func progress(learnerID: String) async throws -> [String: ExerciseProgress] {
        try await database.withSQL { sql in
            let rows = try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM sql_exercise_progress WHERE learner_id = \(bind: learnerID)").all()
            let entries = try rows.map(Self.progress)
            return Dictionary(entries.map { ($0.exerciseID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func progress(learnerID: String, exerciseID: String) async throws -> ExerciseProgress? {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM sql_exercise_progress WHERE learner_id = \(bind: learnerID) AND exercise_id = \(bind: exerciseID)
                """
            ).first().map(Self.progress)
        }
    }

    static func progress(_ row: any SQLRow) throws -> ExerciseProgress {
        ExerciseProgress(
            exerciseID: try row.decode(column: "exercise_id", as: String.self),
            solved: try row.decode(column: "solved", as: Int.self) != 0,
            attempts: try row.decode(column: "attempts", as: Int.self),
            lastQuery: try row.decode(column: "last_query", as: String.self),
            solvedAt: try row.decode(column: "solved_at", as: Int64?.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
