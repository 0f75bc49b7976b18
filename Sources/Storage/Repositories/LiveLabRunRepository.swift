import SQLKit

/// A lab run started from a lab page, while it goes on (and briefly after, for pages still
/// following it). The instance running it proves it is alive by moving `heartbeatAt`; a run whose
/// heartbeat stopped is ended as abandoned rather than left running for ever.
public struct LiveLabRun: Sendable, Equatable {
    public let id: String
    public let learnerID: String
    public let labID: String
    /// Milliseconds since 1970, like `heartbeatAt`.
    public let startedAt: Int64
    public let heartbeatAt: Int64
    /// Its last event is stored: nothing more will come.
    public let finished: Bool

    public init(id: String, learnerID: String, labID: String, startedAt: Int64, heartbeatAt: Int64, finished: Bool = false) {
        self.id = id
        self.learnerID = learnerID
        self.labID = labID
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.finished = finished
    }
}

/// One event of a live run, numbered from 1 in the order the run sent them.
public struct LabRunEvent: Sendable, Equatable {
    public let seq: Int
    public let name: String
    public let data: String

    public init(seq: Int, name: String, data: String) {
        self.seq = seq
        self.name = name
        self.data = data
    }
}

/// Lab runs in progress and their events, kept in the database so a page served by any instance
/// can follow a run executing on another, and a learner has one run going across all of them.
/// Times are milliseconds since 1970.
public protocol LiveLabRunRepository: Sendable {
    /// Registers `run` unless its learner already has a run going, which is returned instead.
    /// First ends the learner's runs whose heartbeat is at or before `abandonedThrough` (with
    /// `abandonedEvent` as their last event), and forgets every run whose heartbeat is at or before
    /// `forgetThrough`, with its events.
    func begin(
        _ run: LiveLabRun, abandonedThrough: Int64, abandonedEvent: (name: String, data: String),
        forgetThrough: Int64
    ) async throws -> LiveLabRun?
    func find(id: String) async throws -> LiveLabRun?
    /// Adds `events` after the run's last one and moves its heartbeat to `at` (with no events, only
    /// that); `finish` marks the last of them as the run's end. False, and nothing added, when the
    /// run has already ended — abandoned by another instance that thought this one dead.
    func append(runID: String, events: [(name: String, data: String)], at: Int64, finish: Bool) async throws -> Bool
    /// The run's events after `seq`, in order.
    func events(runID: String, after seq: Int) async throws -> [LabRunEvent]
    /// Ends the run with `event` if its heartbeat is at or before `abandonedThrough`; true if it did.
    func abandon(runID: String, abandonedThrough: Int64, event: (name: String, data: String)) async throws -> Bool
}

/// ``LiveLabRunRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLLiveLabRunRepository: LiveLabRunRepository {
    let database: Database
    static let columns = "id, learner_id, lab_id, started_at, heartbeat_at, finished"

    public init(database: Database) { self.database = database }

    public func begin(
        _ run: LiveLabRun, abandonedThrough: Int64, abandonedEvent: (name: String, data: String),
        forgetThrough: Int64
    ) async throws -> LiveLabRun? {
        try await database.transaction { sql in
            let stale = try await sql.raw(
                """
                UPDATE live_lab_runs SET finished = 1
                WHERE learner_id = \(bind: run.learnerID) AND finished = 0 AND heartbeat_at <= \(bind: abandonedThrough) RETURNING id
                """
            ).all().map { try $0.decode(column: "id", as: String.self) }
            for id in stale {
                try await Self.add([abandonedEvent], to: id, sql)
            }
            try await sql.raw(
                """
                DELETE FROM lab_run_events WHERE run_id IN (SELECT id FROM live_lab_runs WHERE heartbeat_at <= \(bind: forgetThrough))
                """
            ).run()
            try await sql.raw("DELETE FROM live_lab_runs WHERE heartbeat_at <= \(bind: forgetThrough)").run()
            // The unique index on unfinished runs per learner decides between instances starting one
            // at once; a run that ended between the two statements frees the learner again.
            for _ in 0..<2 {
                let inserted = try await sql.raw(
                    """
                    INSERT INTO live_lab_runs (\(unsafeRaw: Self.columns))
                    VALUES (\(bind: run.id), \(bind: run.learnerID), \(bind: run.labID), \(bind: run.startedAt), \(bind: run.heartbeatAt), 0)
                    ON CONFLICT DO NOTHING RETURNING id
                    """
                ).first()
                guard inserted == nil else { return nil }
                let running = try await sql.raw(
                    """
                    SELECT \(unsafeRaw: Self.columns) FROM live_lab_runs WHERE learner_id = \(bind: run.learnerID) AND finished = 0
                    """
                ).first().map(Self.run)
                if let running { return running }
            }
            throw DatabaseError.unsupported("lab run \(run.id) could not be registered: a run with this id exists already")
        }
    }

    public func find(id: String) async throws -> LiveLabRun? {
        try await database.withSQL { sql in
            try await sql.raw("SELECT \(unsafeRaw: Self.columns) FROM live_lab_runs WHERE id = \(bind: id)").first().map(Self.run)
        }
    }

    public func append(runID: String, events: [(name: String, data: String)], at: Int64, finish: Bool) async throws -> Bool {
        try await database.transaction { sql in
            let going = try await sql.raw(
                """
                UPDATE live_lab_runs SET heartbeat_at = \(bind: at), finished = \(bind: finish ? 1 : 0)
                WHERE id = \(bind: runID) AND finished = 0 RETURNING id
                """
            ).first()
            guard going != nil else { return false }
            try await Self.add(events, to: runID, sql)
            return true
        }
    }

    public func events(runID: String, after seq: Int) async throws -> [LabRunEvent] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT seq, name, data FROM lab_run_events WHERE run_id = \(bind: runID) AND seq > \(bind: seq) ORDER BY seq
                """
            ).all().map { row in
                LabRunEvent(
                    seq: try row.decode(column: "seq", as: Int.self), name: try row.decode(column: "name", as: String.self),
                    data: try row.decode(column: "data", as: String.self))
            }
        }
    }

    public func abandon(runID: String, abandonedThrough: Int64, event: (name: String, data: String)) async throws -> Bool {
        try await database.transaction { sql in
            let ended = try await sql.raw(
                """
                UPDATE live_lab_runs SET finished = 1
                WHERE id = \(bind: runID) AND finished = 0 AND heartbeat_at <= \(bind: abandonedThrough) RETURNING id
                """
            ).first()
            guard ended != nil else { return false }
            try await Self.add([event], to: runID, sql)
            return true
        }
    }

    /// Numbers `events` after the run's last one; the caller's transaction holds the run's row.
    private static func add(_ events: [(name: String, data: String)], to runID: String, _ sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let last =
            try await sql.raw("SELECT COALESCE(MAX(seq), 0) AS last FROM lab_run_events WHERE run_id = \(bind: runID)")
            .first()?.decode(column: "last", as: Int.self) ?? 0
        for (offset, event) in events.enumerated() {
            try await sql.raw(
                """
                INSERT INTO lab_run_events (run_id, seq, name, data) VALUES (\(bind: runID), \(bind: last + offset + 1), \(bind: event.name), \(bind: event.data))
                """
            ).run()
        }
    }

    static func run(_ row: any SQLRow) throws -> LiveLabRun {
        LiveLabRun(
            id: try row.decode(column: "id", as: String.self),
            learnerID: try row.decode(column: "learner_id", as: String.self),
            labID: try row.decode(column: "lab_id", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Int64.self),
            heartbeatAt: try row.decode(column: "heartbeat_at", as: Int64.self),
            finished: try row.decode(column: "finished", as: Int.self) != 0
        )
    }
}
