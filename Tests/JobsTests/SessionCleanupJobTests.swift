import Foundation
import Jobs
import Learning
import Logging
import Storage
import TestSupport
import Testing

/// The hourly `sessions.cleanup` job, run as a worker runs it: claimed from the queue, then handed
/// to its handler.
@Suite("Session cleanup job")
struct SessionCleanupJobTests {
    @Test("removes expired sessions and keeps live ones", arguments: DatabaseKind.allCases)
    func removesExpiredSessions(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup: one session that ended an hour ago, one that ends in an hour
                let user = try await SQLUserRepository(database: database).create(email: "a@example.org", passwordHash: "x", role: .learner)
                let sessions = SQLSessionRepository(database: database)
                let now = WallClock.nowSeconds()
                try await sessions.create(tokenHash: "expired", userID: user.id, expiresAt: now - 3600)
                try await sessions.create(tokenHash: "live", userID: user.id, expiresAt: now + 3600)
                let queue = JobQueue(database: database)
                _ = try await queue.enqueue(kind: BuiltInJobs.sessionsCleanup)
                let job = try #require(try await queue.claim(workerID: "test", leaseMilliseconds: 10_000))
                let handler = try #require(BuiltInJobs.handlers(database: database, logger: Logger(label: "test"))[job.kind])
                // MUT
                try await handler(job)
                // validate
                #expect(job.kind == BuiltInJobs.sessionsCleanup)
                #expect(try await sessions.find(tokenHash: "expired") == nil)
                #expect(try await sessions.find(tokenHash: "live")?.user.id == user.id)
            }
        }
    }
}
