import Learning
import SQLKit

/// What a rate limit needs to know about one key's recent events.
public struct RecentEvents: Sendable, Equatable {
    public let count: Int
    /// Milliseconds since 1970 of the oldest event counted; nil when there is none.
    public let oldest: Int64?

    public init(count: Int, oldest: Int64?) {
        self.count = count
        self.oldest = oldest
    }
}

/// The events rate limits count (sign-in attempts, failed sign-ins, lab runs started), kept in the
/// database so every instance behind a proxy counts the same ones. A scope names one limit, a
/// subject what it limits (an address, an account, a learner); times are milliseconds since 1970.
public protocol RateLimitRepository: Sendable {
    /// The subject's events in `scope` later than `since`.
    func recent(scope: String, subject: String, since: Int64) async throws -> RecentEvents
    /// Counts the subject's events in `scope` later than `since` and, when there are fewer than
    /// `limit`, adds one at `at` — one step that concurrent callers on any instance cannot
    /// interleave, so twenty attempts at once cannot all slip under a limit of five. Returns the
    /// events counted before any was added.
    func admit(scope: String, subject: String, at: Int64, since: Int64, limit: Int) async throws -> RecentEvents
    /// Adds an event, and forgets the scope's events at or before `forgetThrough` (which no window counts any more).
    func record(scope: String, subject: String, at: Int64, forgetThrough: Int64) async throws
    /// Forgets every event of the subject in `scope`.
    func reset(scope: String, subject: String) async throws
}

/// ``RateLimitRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLRateLimitRepository: RateLimitRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    /// Events stamped later than now were recorded by a clock that ran fast and has since been
    /// corrected: they count as happening now (and are re-stamped so), so a limit they trip ends
    /// one window after the correction, not when the clock catches up with them (a day later).
    public func recent(scope: String, subject: String, since: Int64) async throws -> RecentEvents {
        let now = WallClock.nowMilliseconds()
        let (count, oldest, newest) = try await database.withSQL { sql in
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS events, MIN(happened_at) AS oldest, MAX(happened_at) AS newest FROM rate_limit_events
                WHERE scope = \(bind: scope) AND subject = \(bind: subject) AND happened_at > \(bind: since)
                """
            ).first()
            guard let row else { return (0, Int64?.none, Int64?.none) }
            return (
                try row.decode(column: "events", as: Int.self), try row.decode(column: "oldest", as: Int64?.self),
                try row.decode(column: "newest", as: Int64?.self)
            )
        }
        if let newest, newest > now {
            try await database.transaction { sql in
                try await sql.raw(
                    """
                    UPDATE rate_limit_events SET happened_at = \(bind: now)
                    WHERE scope = \(bind: scope) AND subject = \(bind: subject) AND happened_at > \(bind: now)
                    """
                ).run()
            }
        }
        return RecentEvents(count: count, oldest: oldest.map { min($0, now) })
    }

    public func admit(scope: String, subject: String, at: Int64, since: Int64, limit: Int) async throws -> RecentEvents {
        let postgres = database.kind == .postgres
        return try await database.transaction { sql in
            if postgres {  // SQLite's single writer already runs one transaction at a time
                try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: scope + "\u{1F}" + subject)))").run()
            }
            // Events a fast clock stamped "in the future" count from now (see `recent`).
            try await sql.raw(
                """
                UPDATE rate_limit_events SET happened_at = \(bind: at)
                WHERE scope = \(bind: scope) AND subject = \(bind: subject) AND happened_at > \(bind: at)
                """
            ).run()
            let row = try await sql.raw(
                """
                SELECT COUNT(*) AS events, MIN(happened_at) AS oldest FROM rate_limit_events
                WHERE scope = \(bind: scope) AND subject = \(bind: subject) AND happened_at > \(bind: since)
                """
            ).first()
            let recent =
                try row.map {
                    RecentEvents(count: try $0.decode(column: "events", as: Int.self), oldest: try $0.decode(column: "oldest", as: Int64?.self))
                } ?? RecentEvents(count: 0, oldest: nil)
            if recent.count < limit {
                try await Self.insert(scope: scope, subject: subject, at: at, forgetThrough: since, sql)
            }
            return recent
        }
    }

    public func record(scope: String, subject: String, at: Int64, forgetThrough: Int64) async throws {
        try await database.transaction { sql in
            try await Self.insert(scope: scope, subject: subject, at: at, forgetThrough: forgetThrough, sql)
        }
    }

    private static func insert(scope: String, subject: String, at: Int64, forgetThrough: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw("DELETE FROM rate_limit_events WHERE scope = \(bind: scope) AND happened_at <= \(bind: forgetThrough)").run()
        try await sql.raw(
            """
            INSERT INTO rate_limit_events (scope, subject, happened_at) VALUES (\(bind: scope), \(bind: subject), \(bind: at))
            """
        ).run()
    }

    public func reset(scope: String, subject: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM rate_limit_events WHERE scope = \(bind: scope) AND subject = \(bind: subject)").run()
        }
    }
}
