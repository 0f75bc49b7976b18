import Foundation
import Learning
import SQLKit
import Storage
import TestSupport
import Testing

/// Times stored by a clock that was later corrected: durations computed from them are clamped,
/// so a correction neither locks an account for a day nor lets a session outlive its lifetime.
@Suite("Clock corrections", .serialized)
struct ClockCorrectionTests {
    static let day: Int64 = 24 * 3600

    @Test(
        "rate-limit events from a clock that ran a day fast count as now: the limit ends one window after the correction",
        arguments: DatabaseKind.allCases)
    func rateLimitEventsInTheFuture(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup: five failures stamped a day ahead
                let events = SQLRateLimitRepository(database: database)
                let now = WallClock.nowMilliseconds()
                let window: Int64 = 900_000
                for offset: Int64 in 0..<5 {
                    try await events.record(scope: "failures", subject: "ada", at: now + Self.day * 1000 + offset, forgetThrough: 0)
                }
                // MUT
                let recent = try await events.recent(scope: "failures", subject: "ada", since: now - window)
                // validate: still five (they happened), but none later than now, so the wait is at most one window
                let checkedAt = WallClock.nowMilliseconds()
                #expect(recent.count == 5)
                let oldest = try #require(recent.oldest)
                #expect(oldest <= checkedAt)
                #expect(oldest + window - checkedAt <= window)  // what RateLimit tells the learner to wait
                // ...and they were re-stamped: one window on, nothing counts any more.
                let later = try await events.recent(scope: "failures", subject: "ada", since: WallClock.nowMilliseconds() + 1)
                #expect(later.count == 0)
            }
        }
    }

    @Test("a session created by a clock that ran a month fast lasts its lifetime from now, not a month more", arguments: DatabaseKind.allCases)
    func sessionFromTheFuture(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup: a 30-day session stamped 30 days ahead
                let user = try await SQLUserRepository(database: database).create(email: "c@example.org", passwordHash: "x", role: .learner)
                let now = WallClock.nowSeconds()
                let lifetime = 30 * Self.day
                try await database.withSQL { sql in
                    try await sql.raw(
                        """
                        INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                        VALUES ('fast', \(bind: user.id), \(bind: now + lifetime), \(bind: now + 2 * lifetime))
                        """
                    ).run()
                }
                let sessions = SQLSessionRepository(database: database)
                // MUT
                let found = try #require(try await sessions.find(tokenHash: "fast"))
                // validate: expires one lifetime from now, and is stored so
                #expect(found.user.id == user.id)
                #expect(abs(found.expiresAt - (now + lifetime)) <= 5)
                let stored = try await database.withSQL { sql in
                    try await sql.raw("SELECT created_at, expires_at FROM sessions WHERE token_hash = 'fast'").first()
                }
                #expect(abs(try #require(stored).decode(column: "created_at", as: Int64.self) - now) <= 5)
                #expect(try await sessions.find(tokenHash: "fast")?.expiresAt == found.expiresAt)
            }
        }
    }
}
