import Foundation
import Learning
import SQLKit
import Storage

/// Where a job stands: waiting (possibly until `runAfter`), held by a worker under a lease,
/// finished, or given up on after its last attempt failed.
public enum JobState: String, Sendable, CaseIterable, Codable {
    case queued, running, done, failed
}

/// One unit of background work as stored in `jobs`. Timestamps are epoch milliseconds.
public struct Job: Sendable, Equatable {
    public let id: String
    /// Which handler runs it, e.g. `sessions.cleanup`.
    public let kind: String
    /// JSON the handler understands.
    public let payload: String
    public let state: JobState
    /// Claims so far, including the one running now; attempt numbers in `job_attempts` count from 1.
    public let attempts: Int
    public let maxAttempts: Int
    public let runAfter: Int64
    public let leaseOwner: String?
    public let leaseExpiresAt: Int64?
    public let lastError: String?
    public let dedupeKey: String?
    public let createdAt: Int64
    public let finishedAt: Int64?
}

/// One claim of a job by a worker, as recorded in `job_attempts`.
public struct JobAttempt: Sendable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// Still running (or its worker died and nobody has taken the job over yet).
        case running
        case succeeded, failed
        /// The lease ran out (the worker died or hung) and another claim took the job over.
        case expired
        /// The worker was stopped before the job finished and put it back.
        case released
        /// The work finished, but after another worker had taken the job over; it did not count.
        case lost
    }

    public let jobID: String
    public let attempt: Int
    public let workerID: String
    public let startedAt: Int64
    public let finishedAt: Int64?
    public let outcome: Outcome
    public let error: String?
}

/// What one worker has been doing lately, for `groundwork jobs status`.
public struct WorkerActivity: Sendable, Equatable {
    public let workerID: String
    public let claims: Int
    public let lastStartedAt: Int64
}

/// How long to wait before a failed job's next attempt: `base × 2^(attempt−1)`, at most `maximum`.
public struct RetryPolicy: Sendable {
    public var baseMilliseconds: Int64
    public var maximumMilliseconds: Int64

    public init(baseMilliseconds: Int64 = 1_000, maximumMilliseconds: Int64 = 3_600_000) {
        self.baseMilliseconds = baseMilliseconds
        self.maximumMilliseconds = maximumMilliseconds
    }

    /// The delay after the `attempt`-th attempt failed.
    public func delay(afterAttempt attempt: Int) -> Int64 {
        let doublings = Int64(max(0, min(attempt - 1, 40)))
        let (delay, overflow) = baseMilliseconds.multipliedReportingOverflow(by: Int64(1) << doublings)
        return overflow ? maximumMilliseconds : min(delay, maximumMilliseconds)
    }
}

/// The queue of background work (expired-session cleanup, exports, …), kept in the database so
/// every instance shares it and nothing is lost when a process dies.
///
/// A worker *claims* a job, which gives it a lease until `lease_expires_at`; it renews the lease
/// while the job runs and reports the outcome fenced by its lease, so a job whose worker died is
/// claimed again once the lease has run out, and the late report of a worker that lost its lease
/// changes nothing. PostgreSQL workers claim with `FOR UPDATE SKIP LOCKED`, so they never wait on
/// each other; SQLite's claim runs in a `BEGIN IMMEDIATE` transaction, its single writer.
public struct JobQueue: Sendable {
    /// The notification channel that tells workers a job was enqueued.
    public static let channel = "jobs"

    let database: Database
    let retry: RetryPolicy

    public init(database: Database, retry: RetryPolicy = RetryPolicy()) {
        self.database = database
        self.retry = retry
    }

    // MARK: enqueue

    /// Adds a job and wakes the workers. With a `dedupeKey` that another job already holds (say,
    /// `sessions.cleanup@<hour>` enqueued by every instance) nothing is added and nil is returned.
    @discardableResult
    public func enqueue(
        kind: String, payload: String = "{}", runAfter: Int64? = nil, maxAttempts: Int = 5,
        dedupeKey: String? = nil
    ) async throws -> String? {
        try await database.transaction { sql in
            try await enqueue(kind: kind, payload: payload, runAfter: runAfter, maxAttempts: maxAttempts, dedupeKey: dedupeKey, in: sql)
        }
    }

    /// ``enqueue(kind:payload:runAfter:maxAttempts:dedupeKey:)`` inside a caller's transaction, so
    /// the job exists if and only if the caller's change commits.
    @discardableResult
    public func enqueue(
        kind: String, payload: String = "{}", runAfter: Int64? = nil, maxAttempts: Int = 5,
        dedupeKey: String? = nil, in sql: any SQLDatabase
    ) async throws -> String? {
        guard maxAttempts > 0 else { throw DatabaseError.unsupported("a job needs at least one attempt (max attempts \(maxAttempts))") }
        let now = WallClock.nowMilliseconds()
        let id = UUID().uuidString.lowercased()
        let inserted = try await sql.raw(
            """
            INSERT INTO jobs (id, kind, payload, state, attempts, max_attempts, run_after, dedupe_key, created_at)
            VALUES (\(bind: id), \(bind: kind), \(bind: payload), 'queued', 0, \(bind: maxAttempts), \(bind: runAfter ?? now),
                    \(bind: dedupeKey), \(bind: now))
            ON CONFLICT (dedupe_key) DO NOTHING RETURNING id
            """
        ).all()
        guard !inserted.isEmpty else { return nil }
        try await database.notify(channel: Self.channel, payload: kind, in: sql)
        return id
    }

    // MARK: working

    /// Takes the next job that is due — a queued one whose `run_after` has come, or a running one
    /// whose lease has run out — for `workerID`, with a lease of `leaseMilliseconds`; nil when
    /// there is none. Jobs whose lease ran out on their last attempt are marked failed instead.
    public func claim(workerID: String, leaseMilliseconds: Int64, now: Int64 = WallClock.nowMilliseconds()) async throws -> Job? {
        let skipLocked = database.kind == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        if database.kind == .sqlite {
            // An idle worker polls often; on SQLite, look before taking the single write lock.
            let due = try await database.withSQL { sql in
                try await sql.raw(
                    """
                    SELECT id FROM jobs
                    WHERE (state = 'queued' AND run_after <= \(bind: now)) OR (state = 'running' AND lease_expires_at < \(bind: now))
                    LIMIT 1
                    """
                ).first()
            }
            guard due != nil else { return nil }
        }
        return try await database.transaction { sql in
            let exhausted = try await sql.raw(
                """
                UPDATE jobs SET state = 'failed', finished_at = \(bind: now), lease_owner = NULL, lease_expires_at = NULL,
                    last_error = 'the lease ran out on the last attempt (its worker died or hung)'
                WHERE state = 'running' AND lease_expires_at < \(bind: now) AND attempts >= max_attempts
                RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            for id in exhausted {
                try await expireAttempts(jobID: id, before: Int.max, now: now, sql)
            }
            guard
                let row = try await sql.raw(
                    """
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = \(bind: workerID),
                        lease_expires_at = \(bind: now + leaseMilliseconds)
                    WHERE id = (
                        SELECT id FROM jobs
                        WHERE (state = 'queued' AND run_after <= \(bind: now)) OR (state = 'running' AND lease_expires_at < \(bind: now))
                        ORDER BY run_after, created_at, id LIMIT 1\(unsafeRaw: skipLocked)
                    )
                    RETURNING \(unsafeRaw: Self.columns)
                    """
                ).first()
            else { return nil }
            let job = try Self.job(row)
            try await expireAttempts(jobID: job.id, before: job.attempts, now: now, sql)
            try await sql.raw(
                """
                INSERT INTO job_attempts (job_id, attempt, worker_id, started_at, outcome)
                VALUES (\(bind: job.id), \(bind: job.attempts), \(bind: workerID), \(bind: now), 'running')
                """
            ).run()
            return job
        }
    }

    /// Extends the lease of a job `workerID` holds; false when it no longer holds it (the lease ran
    /// out and another worker took the job), in which case the worker should stop working on it.
    public func renewLease(_ job: Job, workerID: String, leaseMilliseconds: Int64, now: Int64 = WallClock.nowMilliseconds()) async throws -> Bool {
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE jobs SET lease_expires_at = \(bind: now + leaseMilliseconds)
                WHERE id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: workerID) AND attempts = \(bind: job.attempts)
                RETURNING id
                """
            ).all().count == 1
        }
    }

    /// Marks a job done; false (and nothing changes but the attempt's record) when `workerID` had
    /// lost its lease, because then the job belongs to another attempt.
    @discardableResult
    public func complete(_ job: Job, workerID: String, now: Int64 = WallClock.nowMilliseconds()) async throws -> Bool {
        try await database.transaction { sql in
            let held =
                try await sql.raw(
                    """
                    UPDATE jobs SET state = 'done', finished_at = \(bind: now), lease_owner = NULL, lease_expires_at = NULL
                    WHERE \(Self.heldBy(job, workerID)) RETURNING id
                    """
                ).all().count == 1
            try await finishAttempt(job, outcome: held ? .succeeded : .lost, error: nil, now: now, sql)
            return held
        }
    }

    /// Records a failed attempt: the job is queued again after an exponential back-off, or, after
    /// its last attempt, marked failed with `error` as the reason. Returns the state it is left in
    /// (nil when `workerID` had lost its lease, so the failure did not count).
    @discardableResult
    public func fail(_ job: Job, workerID: String, error: String, now: Int64 = WallClock.nowMilliseconds()) async throws -> JobState? {
        let state: JobState = job.attempts >= job.maxAttempts ? .failed : .queued
        let runAfter = now + retry.delay(afterAttempt: job.attempts)
        let reason = String(error.prefix(2_000))
        return try await database.transaction { sql in
            let held =
                try await sql.raw(
                    """
                    UPDATE jobs SET state = \(bind: state.rawValue), last_error = \(bind: reason), lease_owner = NULL, lease_expires_at = NULL,
                        run_after = \(bind: state == .queued ? runAfter : job.runAfter),
                        finished_at = \(bind: state == .failed ? now : nil as Int64?)
                    WHERE \(Self.heldBy(job, workerID)) RETURNING id
                    """
                ).all().count == 1
            try await finishAttempt(job, outcome: held ? .failed : .lost, error: reason, now: now, sql)
            return held ? state : nil
        }
    }

    /// Puts a job back unfinished (its worker is shutting down), to run again at once elsewhere.
    /// The attempt still counts towards `maxAttempts`.
    @discardableResult
    public func release(_ job: Job, workerID: String, now: Int64 = WallClock.nowMilliseconds()) async throws -> Bool {
        try await database.transaction { sql in
            let held =
                try await sql.raw(
                    """
                    UPDATE jobs SET state = 'queued', run_after = \(bind: now), lease_owner = NULL, lease_expires_at = NULL
                    WHERE \(Self.heldBy(job, workerID)) RETURNING id
                    """
                ).all().count == 1
            try await finishAttempt(job, outcome: held ? .released : .lost, error: nil, now: now, sql)
            return held
        }
    }

    // MARK: status

    /// How many jobs are in each state (every state present, zero if none).
    public func counts() async throws -> [JobState: Int] {
        let rows = try await database.withSQL { sql in
            try await sql.raw("SELECT state, COUNT(*) AS count FROM jobs GROUP BY state").all()
        }
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for row in rows {
            if let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) {
                counts[state] = try row.decode(column: "count", as: Int.self)
            }
        }
        return counts
    }

    public func job(id: String) async throws -> Job? {
        try await database.withSQL { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id)").first().map(Self.job)
        }
    }

    /// Jobs newest first, optionally only in one state and of one kind.
    public func list(state: JobState? = nil, kind: String? = nil, limit: Int = 50) async throws -> [Job] {
        try await database.withSQL { sql in
            var query: SQLQueryString = "SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE 1 = 1"
            if let state { query = query + " AND state = \(bind: state.rawValue)" }
            if let kind { query = query + " AND kind = \(bind: kind)" }
            return try await sql.raw(query + " ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)").all().map(Self.job)
        }
    }

    /// The attempts of one job, or of every job of a kind, in the order they started.
    public func attempts(jobID: String? = nil, kind: String? = nil) async throws -> [JobAttempt] {
        try await database.withSQL { sql in
            var query: SQLQueryString = """
                SELECT a.job_id, a.attempt, a.worker_id, a.started_at, a.finished_at, a.outcome, a.error
                FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE 1 = 1
                """
            if let jobID { query = query + " AND a.job_id = \(bind: jobID)" }
            if let kind { query = query + " AND j.kind = \(bind: kind)" }
            return try await sql.raw(query + " ORDER BY a.started_at, a.job_id, a.attempt").all().map { row in
                JobAttempt(
                    jobID: try row.decode(column: "job_id", as: String.self),
                    attempt: try row.decode(column: "attempt", as: Int.self),
                    workerID: try row.decode(column: "worker_id", as: String.self),
                    startedAt: try row.decode(column: "started_at", as: Int64.self),
                    finishedAt: try row.decode(column: "finished_at", as: Int64?.self),
                    outcome: JobAttempt.Outcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .running,
                    error: try row.decode(column: "error", as: String?.self)
                )
            }
        }
    }

    /// Per worker, the claims it made since `since` and when it made the last one: who is alive.
    public func workerActivity(since: Int64) async throws -> [WorkerActivity] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT worker_id, COUNT(*) AS claims, MAX(started_at) AS last_started_at FROM job_attempts
                WHERE started_at >= \(bind: since) GROUP BY worker_id ORDER BY worker_id
                """
            ).all().map { row in
                WorkerActivity(
                    workerID: try row.decode(column: "worker_id", as: String.self),
                    claims: try row.decode(column: "claims", as: Int.self),
                    lastStartedAt: try row.decode(column: "last_started_at", as: Int64.self))
            }
        }
    }

    // MARK: rows

    static let columns = """
        id, kind, payload, state, attempts, max_attempts, run_after, lease_owner, lease_expires_at, last_error, dedupe_key, created_at, finished_at
        """

    /// The fence of every report: the job is still running under this worker's lease and claim.
    private static func heldBy(_ job: Job, _ workerID: String) -> SQLQueryString {
        "id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: workerID) AND attempts = \(bind: job.attempts)"
    }

    private func finishAttempt(_ job: Job, outcome: JobAttempt.Outcome, error: String?, now: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE job_attempts SET outcome = \(bind: outcome.rawValue), error = \(bind: error), finished_at = \(bind: now)
            WHERE job_id = \(bind: job.id) AND attempt = \(bind: job.attempts)
            """
        ).run()
    }

    /// Closes the records of earlier claims whose worker never reported back.
    private func expireAttempts(jobID: String, before attempt: Int, now: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE job_attempts SET outcome = 'expired', finished_at = \(bind: now)
            WHERE job_id = \(bind: jobID) AND outcome = 'running' AND attempt < \(bind: attempt)
            """
        ).run()
    }

    static func job(_ row: any SQLRow) throws -> Job {
        Job(
            id: try row.decode(column: "id", as: String.self),
            kind: try row.decode(column: "kind", as: String.self),
            payload: try row.decode(column: "payload", as: String.self),
            state: JobState(rawValue: try row.decode(column: "state", as: String.self)) ?? .failed,
            attempts: try row.decode(column: "attempts", as: Int.self),
            maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
            runAfter: try row.decode(column: "run_after", as: Int64.self),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            leaseExpiresAt: try row.decode(column: "lease_expires_at", as: Int64?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            finishedAt: try row.decode(column: "finished_at", as: Int64?.self)
        )
    }
}
