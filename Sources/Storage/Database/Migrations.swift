import Foundation
import Learning
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
        /// Run after `statements`, on that database only: what the two cannot say alike
        /// (identity columns, full-text search).
        var sqlite: [String] = []
        var postgres: [String] = []

        func statements(for kind: Database.Kind) -> [String] {
            statements + (kind == .sqlite ? sqlite : postgres)
        }
    }

    static let steps: [Step] = [
        Step(
            version: 1, name: "users, sessions, progress, api tokens",
            statements: [
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
        Step(
            version: 2, name: "quiz attempts, answers and review schedule",
            statements: [
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
        Step(
            version: 3, name: "lab runs",
            statements: [
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
        Step(
            version: 4, name: "sql exercise progress",
            statements: [
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
                """
            ]),
        // Background work (see JobQueue). Unlike the tables above, the job timestamps are epoch
        // *milliseconds*: leases and back-off are measured in fractions of a second. `dedupe_key`
        // is unique when set, so a periodic job enqueued by several instances exists once.
        // `job_attempts` records every claim, so an operator can see who ran what, and when.
        Step(
            version: 5, name: "job queue",
            statements: [
                """
                CREATE TABLE jobs (
                    id TEXT PRIMARY KEY,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
                    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
                    run_after BIGINT NOT NULL,
                    lease_owner TEXT,
                    lease_expires_at BIGINT,
                    last_error TEXT,
                    dedupe_key TEXT UNIQUE,
                    created_at BIGINT NOT NULL,
                    finished_at BIGINT,
                    CHECK ((state = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL))
                )
                """,
                "CREATE INDEX jobs_ready ON jobs (state, run_after)",
                "CREATE INDEX jobs_leases ON jobs (state, lease_expires_at)",
                """
                CREATE TABLE job_attempts (
                    job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
                    attempt INTEGER NOT NULL CHECK (attempt > 0),
                    worker_id TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT,
                    outcome TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'expired', 'released', 'lost')),
                    error TEXT,
                    PRIMARY KEY (job_id, attempt)
                )
                """,
                "CREATE INDEX job_attempts_by_worker ON job_attempts (worker_id, started_at)",
            ]),
        // State that every instance must share (see RateLimitRepository, LiveLabRunRepository);
        // timestamps in milliseconds. A live run's row and events outlive it briefly, for pages still
        // following it; its stored result is in `lab_runs`. One unfinished run per learner at a time.
        Step(
            version: 6, name: "rate limits and lab run events",
            statements: [
                """
                CREATE TABLE rate_limit_events (
                    scope TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    happened_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rate_limit_events_by_subject ON rate_limit_events (scope, subject, happened_at)",
                "CREATE INDEX rate_limit_events_by_age ON rate_limit_events (scope, happened_at)",
                """
                CREATE TABLE live_lab_runs (
                    id TEXT PRIMARY KEY,
                    learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    lab_id TEXT NOT NULL,
                    started_at BIGINT NOT NULL,
                    heartbeat_at BIGINT NOT NULL,
                    finished INTEGER NOT NULL DEFAULT 0 CHECK (finished IN (0, 1))
                )
                """,
                "CREATE UNIQUE INDEX live_lab_runs_one_per_learner ON live_lab_runs (learner_id) WHERE finished = 0",
                "CREATE INDEX live_lab_runs_by_heartbeat ON live_lab_runs (heartbeat_at)",
                """
                CREATE TABLE lab_run_events (
                    run_id TEXT NOT NULL REFERENCES live_lab_runs(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL CHECK (seq > 0),
                    name TEXT NOT NULL,
                    data TEXT NOT NULL,
                    PRIMARY KEY (run_id, seq)
                )
                """,
            ]),
        // A learner's note on a topic (NoteRepository): the same statements read and write it on
        // both databases; only the `id` column, which search's index refers to, is declared apart.
        // `updated_at` is in milliseconds, so notes saved within one second still list newest first.
        Step(
            version: 7, name: "notes", statements: [],
            sqlite: [
                """
                CREATE TABLE notes (
                    id INTEGER PRIMARY KEY,
                    learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    topic_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (learner_id, topic_id)
                )
                """
            ],
            postgres: [
                """
                CREATE TABLE notes (
                    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                    learner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    topic_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    UNIQUE (learner_id, topic_id)
                )
                """
            ]),
        // Full-text search (SearchRepository), each database's own. `search_content` holds the
        // content, rewritten at every start; notes are indexed as they change — by triggers into an
        // FTS5 index of `notes` on SQLite, by a generated `tsvector` column on PostgreSQL.
        Step(
            version: 8, name: "search", statements: [],
            sqlite: [
                """
                CREATE VIRTUAL TABLE search_content USING fts5(
                    kind UNINDEXED, ref UNINDEXED, title, body, tokenize = 'porter unicode61 remove_diacritics 2'
                )
                """,
                """
                CREATE VIRTUAL TABLE notes_search USING fts5(
                    text, content = 'notes', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
                )
                """,
                "CREATE TRIGGER notes_search_insert AFTER INSERT ON notes BEGIN INSERT INTO notes_search (rowid, text) VALUES (new.id, new.text); END",
                """
                CREATE TRIGGER notes_search_delete AFTER DELETE ON notes BEGIN
                    INSERT INTO notes_search (notes_search, rowid, text) VALUES ('delete', old.id, old.text);
                END
                """,
                """
                CREATE TRIGGER notes_search_update AFTER UPDATE ON notes BEGIN
                    INSERT INTO notes_search (notes_search, rowid, text) VALUES ('delete', old.id, old.text);
                    INSERT INTO notes_search (rowid, text) VALUES (new.id, new.text);
                END
                """,
                "INSERT INTO notes_search (notes_search) VALUES ('rebuild')",
            ],
            postgres: [
                """
                CREATE TABLE search_content (
                    kind TEXT NOT NULL,
                    ref TEXT NOT NULL,
                    title TEXT NOT NULL,
                    body TEXT NOT NULL,
                    search_vector tsvector GENERATED ALWAYS AS
                        (setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED,
                    PRIMARY KEY (kind, ref)
                )
                """,
                "CREATE INDEX search_content_by_words ON search_content USING GIN (search_vector)",
                "ALTER TABLE notes ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED",
                "CREATE INDEX notes_by_words ON notes USING GIN (search_vector)",
            ]),
        // Teams (issue 18): the admin flag becomes one of three roles; accounts can be disabled and
        // remember when they were last used. `settings` holds server-wide choices an admin makes
        // (the sign-up mode); a server that already has accounts keeps the open sign-up it had,
        // while a new one starts invitation-only (no row). Invitations and password resets store
        // only a hash of their secret, like sessions. The audit log copies names in, so it stays
        // readable after the accounts it mentions are deleted; its times are in milliseconds.
        Step(
            version: 9, name: "roles, sign-up mode, invitations, password resets, audit log",
            statements: [
                "ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'learner' CHECK (role IN ('admin', 'mentor', 'learner'))",
                "UPDATE users SET role = 'admin' WHERE is_admin <> 0",
                "ALTER TABLE users DROP COLUMN is_admin",
                "ALTER TABLE users ADD COLUMN disabled_at BIGINT",
                "ALTER TABLE users ADD COLUMN last_seen_at BIGINT",
                """
                CREATE TABLE settings (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                """
                INSERT INTO settings (name, value, updated_at)
                SELECT 'sign_up_mode', 'open', 0 WHERE EXISTS (SELECT 1 FROM users WHERE id <> 'personal')
                """,
                """
                CREATE TABLE invitations (
                    id TEXT PRIMARY KEY,
                    token_hash TEXT NOT NULL UNIQUE,
                    label TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'mentor', 'learner')),
                    max_uses INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
                    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
                    expires_at BIGINT NOT NULL,
                    created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                """
                CREATE TABLE password_resets (
                    token_hash TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX password_resets_by_user ON password_resets (user_id)",
                """
                CREATE TABLE audit_log (
                    id TEXT PRIMARY KEY,
                    happened_at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    target TEXT NOT NULL,
                    detail TEXT NOT NULL
                )
                """,
                "CREATE INDEX audit_log_by_time ON audit_log (happened_at)",
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

    /// The newest version recorded in the database's `schema_migrations` (0 when none).
    public static func databaseVersion(_ database: Database) async throws -> Int {
        try await database.withSQL { sql in
            guard let row = try await sql.raw("SELECT MAX(version) AS newest FROM schema_migrations").first() else { return 0 }
            return try row.decode(column: "newest", as: Int?.self) ?? 0
        }
    }

    /// A database migrated by a newer Groundwork is refused rather than called up to date: this
    /// build does not know what those steps changed, and writing to it could break it.
    private static func refuseNewerSchema(_ database: Database) async throws {
        let newest = try await databaseVersion(database)
        guard newest <= latestVersion else {
            throw DatabaseError.unsupported(
                "the database's schema is version \(newest), newer than this groundwork knows (\(latestVersion)): it was migrated by a newer release. Run that release, or roll back by restoring the backup taken before the upgrade (README, Upgrading)"
            )
        }
    }

    /// Brings the schema up to date and returns the versions it applied (empty when already current).
    @discardableResult
    public static func run(on database: Database, logger: Logger) async throws -> [Int] {
        try await database.transaction { sql in
            // Several instances may start at once: one migrates, the others wait here.
            try await lockOut(database, sql)
            try await sql.raw(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL
                )
                """
            ).run()
        }
        try await refuseNewerSchema(database)
        var applied: [Int] = []
        for step in steps {
            let ran = try await database.transaction { sql in
                try await lockOut(database, sql)
                let done = try await sql.raw("SELECT version FROM schema_migrations WHERE version = \(bind: step.version)").all()
                guard done.isEmpty else { return false }
                for statement in step.statements(for: database.kind) {
                    try await sql.raw(SQLQueryString(statement)).run()
                }
                try await sql.raw(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: step.version), \(bind: step.name), \(bind: WallClock.nowSeconds()))
                    """
                ).run()
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
