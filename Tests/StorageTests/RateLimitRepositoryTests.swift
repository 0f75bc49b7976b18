import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Rate-limit events on both databases: counted per scope and subject within a window, seen by a
/// second connection to the same database, forgotten once no window counts them.
@Suite("Rate limit repository", .serialized)
struct RateLimitRepositoryTests {
    @Test("events count per scope and subject, only those later than the window's start; the oldest is reported", arguments: DatabaseKind.allCases)
    func recentEvents(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let events = SQLRateLimitRepository(database: database)
                for at: Int64 in [1_000, 2_000, 3_000] {
                    try await events.record(scope: "sign-ins", subject: "address:1", at: at, forgetThrough: 0)
                }
                try await events.record(scope: "sign-ins", subject: "address:2", at: 2_500, forgetThrough: 0)
                try await events.record(scope: "lab-runs", subject: "address:1", at: 2_500, forgetThrough: 0)
                // MUT
                let all = try await events.recent(scope: "sign-ins", subject: "address:1", since: 0)
                let later = try await events.recent(scope: "sign-ins", subject: "address:1", since: 1_000)
                let none = try await events.recent(scope: "sign-ins", subject: "address:3", since: 0)
                // validate
                #expect(all == RecentEvents(count: 3, oldest: 1_000))
                #expect(later == RecentEvents(count: 2, oldest: 2_000))
                #expect(none == RecentEvents(count: 0, oldest: nil))
            }
        }
    }

    @Test("another instance on the same database sees the events; reset forgets one subject's", arguments: DatabaseKind.allCases)
    func sharedAndReset(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { first in
                try await location.use { second in
                    // setup
                    let onFirst = SQLRateLimitRepository(database: first)
                    let onSecond = SQLRateLimitRepository(database: second)
                    try await onFirst.record(scope: "failures", subject: "account:ada", at: 10, forgetThrough: 0)
                    try await onFirst.record(scope: "failures", subject: "account:bob", at: 10, forgetThrough: 0)
                    // MUT
                    let seen = try await onSecond.recent(scope: "failures", subject: "account:ada", since: 0)
                    try await onSecond.reset(scope: "failures", subject: "account:ada")
                    // validate
                    #expect(seen.count == 1)
                    #expect(try await onFirst.recent(scope: "failures", subject: "account:ada", since: 0).count == 0)
                    #expect(try await onFirst.recent(scope: "failures", subject: "account:bob", since: 0).count == 1)
                }
            }
        }
    }

    @Test("recording forgets the scope's events that no window counts any more, of every subject", arguments: DatabaseKind.allCases)
    func recordingPrunes(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let events = SQLRateLimitRepository(database: database)
                try await events.record(scope: "runs", subject: "ada", at: 100, forgetThrough: 0)
                try await events.record(scope: "runs", subject: "bob", at: 200, forgetThrough: 0)
                try await events.record(scope: "other", subject: "ada", at: 100, forgetThrough: 0)
                // MUT
                try await events.record(scope: "runs", subject: "cy", at: 1_000, forgetThrough: 200)
                // validate
                let rows = try await database.withSQL { sql in
                    try await sql.raw("SELECT scope, subject FROM rate_limit_events ORDER BY scope, subject").all().map {
                        "\(try $0.decode(column: "scope", as: String.self))/\(try $0.decode(column: "subject", as: String.self))"
                    }
                }
                #expect(rows == ["other/ada", "runs/cy"])
            }
        }
    }
}
