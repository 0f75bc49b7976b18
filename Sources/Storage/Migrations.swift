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
    ]

    /// Brings the schema up to date and returns the versions it applied (empty when already current).
    @discardableResult
    public static func run(on database: Database, logger: Logger) async throws -> [Int] {
        try await database.withSQL { sql in
            try await sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
                )
                """).run()
        }
        var applied: [Int] = []
        for step in steps {
            let ran = try await database.transaction { sql in
                if database.kind == .postgres {
                    // Several instances may start at once: one migrates, the others wait here.
                    try await sql.raw("SELECT pg_advisory_xact_lock(4242)").run()
                }
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
