import Foundation
import Logging
import SQLKit

/// The schema, as an ordered list of steps. Each step runs once, inside a transaction, and is
/// recorded in `schema_migrations`; the SQL is written so SQLite and PostgreSQL both accept it.
///
/// Never edit a step that has shipped: add a new one.
public enum Migrations {
    struct Step {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let steps: [Step] = [
        Step(version: 1, name: "users, sessions, progress, api tokens", statements: [
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                is_admin INTEGER NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            )
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX sessions_by_user ON sessions (user_id)",
            """
            CREATE TABLE progress (
                learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                topic_id TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('todo', 'learning', 'done', 'skipped')),
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (learner_id, topic_id)
            )
            """,
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                token_hash TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT
            )
            """,
            "CREATE INDEX api_tokens_by_user ON api_tokens (user_id)",
        ]),
        // A question is identified by its topic and a hash of its prompt (see QuizAnswer): the index
        // is kept as where the question stood, but reordering questions must not move anyone's history.
        Step(version: 2, name: "quiz attempts, answers and review schedule", statements: [
            """
            CREATE TABLE quiz_attempts (
                id TEXT PRIMARY KEY,
                learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                topic_id TEXT NOT NULL,
                correct INTEGER NOT NULL,
                total INTEGER NOT NULL,
                taken_at BIGINT NOT NULL,
                CHECK (total > 0 AND correct >= 0 AND correct <= total)
            )
            """,
            "CREATE INDEX quiz_attempts_by_learner_topic ON quiz_attempts (learner_id, topic_id)",
            """
            CREATE TABLE quiz_answers (
                attempt_id TEXT NOT NULL REFERENCES quiz_attempts(id) ON DELETE CASCADE,
                question_index INTEGER NOT NULL,
                prompt_hash TEXT NOT NULL,
                is_correct INTEGER NOT NULL CHECK (is_correct IN (0, 1)),
                PRIMARY KEY (attempt_id, question_index)
            )
            """,
            """
            CREATE TABLE quiz_reviews (
                learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                topic_id TEXT NOT NULL,
                prompt_hash TEXT NOT NULL,
                question_index INTEGER NOT NULL,
                right_in_a_row INTEGER NOT NULL CHECK (right_in_a_row >= 0),
                due_at BIGINT NOT NULL,
                PRIMARY KEY (learner_id, topic_id, prompt_hash)
            )
            """,
            "CREATE INDEX quiz_reviews_by_due ON quiz_reviews (learner_id, due_at)",
        ]),
        // `passed` means every stage of the lab passed (a run of stages 1…N only never counts);
        // `report` is the run's JSON report exactly as `groundwork check --format json` prints it.
        Step(version: 3, name: "lab runs", statements: [
            """
            CREATE TABLE lab_runs (
                id TEXT PRIMARY KEY,
                learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                lab_id TEXT NOT NULL,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NOT NULL,
                passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
                stages_passed INTEGER NOT NULL CHECK (stages_passed >= 0),
                stage_count INTEGER NOT NULL CHECK (stage_count >= stages_passed),
                source TEXT NOT NULL CHECK (source IN ('web', 'upload')),
                report TEXT NOT NULL
            )
            """,
            "CREATE INDEX lab_runs_by_learner_lab ON lab_runs (learner_id, lab_id, finished_at)",
        ]),
        // One row per learner and SQL exercise (keyed by the exercise's stable id): once `solved`,
        // always solved; `last_query` is what the learner ran last, to put back in the editor.
        Step(version: 4, name: "sql exercise progress", statements: [
            """
            CREATE TABLE sql_exercise_progress (
                learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                exercise_id TEXT NOT NULL,
                solved INTEGER NOT NULL CHECK (solved IN (0, 1)),
                attempts INTEGER NOT NULL CHECK (attempts > 0),
                last_query TEXT NOT NULL,
                solved_at BIGINT,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (learner_id, exercise_id)
            )
            """,
        ]),
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { steps.map(\.version).max() ?? 0 }

    /// Holds PostgreSQL's migration lock until the transaction ends (SQLite's BEGIN IMMEDIATE
    /// already serialises writers).
    private static func lockOut(_ database: Database, _ sql: any SQLDatabase) async throws {
        if database.kind == .postgres {
            try await sql.raw("SELECT pg_advisory_xact_lock(4242)").run()
        }
    }

    /// Brings the schema up to date and returns the versions it applied (empty when already current).
    @discardableResult
    public static func run(on database: Database, logger: Logger) async throws -> [Int] {
        try await database.transaction { sql in
            // Several instances may start at once: one migrates, the others wait here.
            try await lockOut(database, sql)
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
                )
                """).run()
        }
        var applied: [Int] = []
        for step in steps {
            let ran = try await database.transaction { sql in
                try await lockOut(database, sql)
                let done = try await sql.raw("SELECT version FROM schema_migrations WHERE version = \(bind: step.version)").all()
                guard done.isEmpty else { return false }
                for statement in step.statements {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await sql.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: step.version), \(bind: step.name), \(bind: Clock.nowSeconds()))
                    """).run()
                return true
            }
            if ran {
                logger.info("applied migration", metadata: ["version": "\(step.version)", "name": "\(step.name)"])
                applied.append(step.version)
            }
        }
        return applied
    }
}

/// Wall-clock seconds since 1970, the unit every timestamp column uses.
public enum Clock {
    public static func nowSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }
}
