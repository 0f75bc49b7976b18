import Foundation
import Jobs
import Learning
import Logging
import SQLKit
import Storage
import Synchronization
import TestSupport
import Testing

/// The job queue on both databases: what is due is claimed in order and by one claimer only,
/// failures back off and then stop with their reason, and a dead worker's job is taken over once
/// its lease runs out.
@Suite("Job queue", .serialized)
struct JobQueueTests {
    static let worker = "worker-a"
    static let other = "worker-b"

    @Test("due jobs are claimed oldest first; future ones wait; a dedupe key enqueues once", arguments: DatabaseKind.allCases)
    func claimOrder(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let queue = JobQueue(database: database)
                let now = WallClock.nowMilliseconds()
                let second = try await queue.enqueue(kind: "probe", runAfter: now - 1_000)
                let first = try await queue.enqueue(kind: "probe", runAfter: now - 3_000)
                _ = try await queue.enqueue(kind: "probe", runAfter: now + 60_000)
                let periodic = try await queue.enqueue(kind: "sessions.cleanup", runAfter: now - 500, dedupeKey: "sessions.cleanup@1")
                let duplicate = try await queue.enqueue(kind: "sessions.cleanup", dedupeKey: "sessions.cleanup@1")
                // MUT
                var claimed: [String] = []
                while let job = try await queue.claim(workerID: Self.worker, leaseMilliseconds: 10_000, now: now) {
                    claimed.append(job.id)
                    #expect(job.state == .running && job.attempts == 1 && job.leaseOwner == Self.worker)
                }
                // validate
                #expect(duplicate == nil)
                #expect(claimed == [first, second, periodic].compactMap { $0 })
                let counts = try await queue.counts()
                #expect(counts == [.queued: 1, .running: 3, .done: 0, .failed: 0])
                #expect(try await queue.attempts().map(\.outcome) == [.running, .running, .running])
            }
        }
    }

    @Test("a failing job is retried with exponential back-off, then marked failed with its reason", arguments: DatabaseKind.allCases)
    func backoffThenFailed(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let queue = JobQueue(database: database, retry: RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 60_000))
                let start = WallClock.nowMilliseconds()
                let id = try #require(try await queue.enqueue(kind: "probe", runAfter: start, maxAttempts: 3))
                // MUT: attempt 1 fails at `start`, is due 1 s later; attempt 2 fails, due 2 s later; attempt 3 fails for good
                let one = try #require(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start))
                #expect(try await queue.fail(one, workerID: Self.worker, error: "boom 1", now: start) == JobState.queued)
                #expect(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start + 999) == nil)
                let two = try #require(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start + 1_000))
                #expect(try await queue.fail(two, workerID: Self.worker, error: "boom 2", now: start + 1_000) == JobState.queued)
                #expect(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start + 2_999) == nil)
                let three = try #require(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start + 3_000))
                #expect(try await queue.fail(three, workerID: Self.worker, error: "boom 3", now: start + 3_000) == JobState.failed)
                // validate
                let numbers: [Int] = [one.attempts, two.attempts, three.attempts]
                #expect(numbers == [1, 2, 3])
                let job = try #require(try await queue.job(id: id))
                #expect(job.state == .failed && job.lastError == "boom 3" && job.finishedAt == start + 3_000 && job.leaseOwner == nil)
                #expect(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 5_000, now: start + 1_000_000) == nil)
                let attempts = try await queue.attempts(jobID: id)
                #expect(attempts.map(\.outcome) == [.failed, .failed, .failed])
                #expect(attempts.map(\.error) == ["boom 1", "boom 2", "boom 3"])
                #expect(try await queue.list(state: .failed).map(\.id) == [id])
                #expect(RetryPolicy(baseMilliseconds: 1_000, maximumMilliseconds: 5_000).delay(afterAttempt: 10) == 5_000)
            }
        }
    }

    @Test("a job whose lease ran out is taken over; the first worker's late report does not count", arguments: DatabaseKind.allCases)
    func leaseExpiryReclaim(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup: worker A claims and goes silent
                let queue = JobQueue(database: database)
                let start = WallClock.nowMilliseconds()
                let id = try #require(try await queue.enqueue(kind: "probe", runAfter: start))
                let held = try #require(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 1_000, now: start))
                // MUT
                let early = try await queue.claim(workerID: Self.other, leaseMilliseconds: 1_000, now: start + 999)
                let takeover = try #require(try await queue.claim(workerID: Self.other, leaseMilliseconds: 1_000, now: start + 1_001))
                let renewed = try await queue.renewLease(held, workerID: Self.worker, leaseMilliseconds: 1_000, now: start + 1_002)
                let lateReport = try await queue.complete(held, workerID: Self.worker, now: start + 1_003)
                let report = try await queue.complete(takeover, workerID: Self.other, now: start + 1_004)
                // validate
                #expect(early == nil)
                #expect(takeover.id == id && takeover.attempts == 2 && takeover.leaseOwner == Self.other)
                #expect(!renewed && !lateReport && report)
                #expect(try await queue.job(id: id)?.state == .done)
                let attempts = try await queue.attempts(jobID: id)
                #expect(attempts.map(\.workerID) == [Self.worker, Self.other])
                #expect(attempts.map(\.outcome) == [.lost, .succeeded])
            }
        }
    }

    @Test("a job whose lease runs out on its last attempt is marked failed, not run again", arguments: DatabaseKind.allCases)
    func leaseExpiryOnLastAttempt(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let queue = JobQueue(database: database)
                let start = WallClock.nowMilliseconds()
                let id = try #require(try await queue.enqueue(kind: "probe", runAfter: start, maxAttempts: 1))
                _ = try #require(try await queue.claim(workerID: Self.worker, leaseMilliseconds: 1_000, now: start))
                // MUT
                let again = try await queue.claim(workerID: Self.other, leaseMilliseconds: 1_000, now: start + 2_000)
                // validate
                #expect(again == nil)
                let job = try #require(try await queue.job(id: id))
                #expect(job.state == .failed)
                #expect(job.lastError?.contains("lease ran out") == true)
                #expect(try await queue.attempts(jobID: id).map(\.outcome) == [.expired])
            }
        }
    }

    @Test("claimers on two connection pools at once never get the same job", arguments: DatabaseKind.allCases)
    func concurrentClaimers(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            let first = try await location.open()
            let second = try await location.open()
            // setup
            let jobCount = 200
            try await first.transaction { sql in
                for _ in 0..<jobCount { try await JobQueue(database: first).enqueue(kind: "probe", in: sql) }
            }
            // MUT
            let claiming: Result<[String], any Error>
            do {
                claiming = .success(try await Self.claimAll(first, second))
            } catch {
                claiming = .failure(error)
            }
            // validate
            let counts = try await JobQueue(database: first).counts()
            await first.close()
            await second.close()
            let claimed = try claiming.get()
            #expect(claimed.count == jobCount)
            #expect(Set(claimed).count == jobCount)
            #expect(counts[.done] == jobCount)
        }
    }

    @Test("a notification reaches a listener on another connection pool", arguments: DatabaseKind.allCases)
    func notifications(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { sender in
                let receiver = try await location.open()
                // MUT: LISTEN is set up in the background, so send until the first one arrives
                let stream = receiver.listen(channel: "test.channel")
                let sending = Task {
                    for round in 0..<100 where !Task.isCancelled {
                        try await sender.notify(channel: "test.channel", payload: "hello \(round)")
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                var iterator = stream.makeAsyncIterator()
                var first = await iterator.next()
                if kind == .postgres {
                    // PostgreSQL first says listening has started (an empty payload)
                    #expect(first == "")
                    first = await iterator.next()
                }
                sending.cancel()
                // validate
                #expect(first?.hasPrefix("hello ") == true)
                await #expect(throws: DatabaseError.self) { try await sender.notify(channel: "Bad Channel!", payload: "") }
                await receiver.close()
            }
        }
    }

    @Test("a PostgreSQL listener whose connection is killed listens again on a new one")
    func listenerReconnects() async throws {
        try await TestDatabase.with(.postgres) { location in
            try await location.use { database in
                // setup: a listener, and a message every 100 ms numbered by a counter
                let messages = database.listen(channel: "test.reconnect")
                let sent = SentCounter()
                let sending = Task {
                    while !Task.isCancelled {
                        let number = sent.count.withLock {
                            $0 += 1
                            return $0
                        }
                        try await database.notify(channel: "test.reconnect", payload: "\(number)")
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                defer { sending.cancel() }
                let reading = Task {
                    var received: [Int] = []
                    var killedAfter: Int?
                    var restartSeen = false
                    for await message in messages {
                        if message.isEmpty {
                            // listening (re)started: the consumer is told it may have missed messages
                            restartSeen = restartSeen || killedAfter != nil
                            continue
                        }
                        received.append(Int(message) ?? 0)
                        if killedAfter == nil {
                            // MUT: the server ends the listening session once it has delivered a message
                            _ = try await database.withSQL { sql in
                                try await sql.raw(
                                    """
                                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                                    WHERE datname = current_database() AND query LIKE 'LISTEN%'
                                    """
                                ).all()
                            }
                            killedAfter = sent.count.withLock { $0 }
                        } else if let killedAfter, received.last! > killedAfter {
                            return restartSeen
                        }
                    }
                    return false
                }
                let timeout = Task {
                    try await Task.sleep(for: .seconds(15))
                    reading.cancel()
                }
                // validate: a restart marker, then a message sent after the session was killed, arrive
                let reconnected = try await reading.value
                #expect(reconnected, "no restart marker and message arrived after the listening connection was killed")
                timeout.cancel()
            }
        }
    }

    @Test("a worker pool runs every job once, then stops; a job still running after the grace period is put back", arguments: DatabaseKind.allCases)
    func workerPool(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup
                let queue = JobQueue(database: database)
                let runs = Mutex<[String: Int]>([:])
                let handlers: [String: JobWorkerPool.Handler] = [
                    "count": { job in runs.withLock { $0[job.id, default: 0] += 1 } },
                    "slow": { _ in try await Task.sleep(for: .seconds(30)) },
                ]
                let pool = JobWorkerPool(
                    database: database, queue: queue, handlers: handlers,
                    configuration: .init(concurrency: 3, leaseMilliseconds: 5_000, pollInterval: .milliseconds(200)),
                    logger: TestDatabase.logger)
                let running = Task { await pool.run() }
                // MUT
                var ids: [String] = []
                for _ in 0..<30 { ids.append(try #require(try await queue.enqueue(kind: "count"))) }
                let slow = try #require(try await queue.enqueue(kind: "slow"))
                try await Self.waitUntil {
                    let done = try await queue.counts()[.done]
                    let slowState = try await queue.job(id: slow)?.state
                    return done == 30 && slowState == .running
                }
                pool.stop(grace: .milliseconds(300))
                await running.value
                // validate
                #expect(runs.withLock { $0 } == Dictionary(uniqueKeysWithValues: ids.map { ($0, 1) }))
                let slowJob = try #require(try await queue.job(id: slow))
                #expect(slowJob.state == .queued && slowJob.leaseOwner == nil)
                #expect(try await queue.attempts(jobID: slow).map(\.outcome) == [.released])
            }
        }
    }

    /// Eight claimers, four on each database, claiming and completing until nothing is left.
    static func claimAll(_ first: Database, _ second: Database) async throws -> [String] {
        try await withThrowingTaskGroup(of: [String].self) { group in
            for claimer in 0..<8 {
                let queue = JobQueue(database: claimer % 2 == 0 ? first : second)
                group.addTask {
                    var mine: [String] = []
                    while let job = try await queue.claim(workerID: "claimer-\(claimer)", leaseMilliseconds: 60_000) {
                        mine.append(job.id)
                        #expect(try await queue.complete(job, workerID: "claimer-\(claimer)"))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
    }

    static func waitUntil(timeout: Duration = .seconds(20), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within \(timeout)")
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// How many notifications a test has sent, shared with the task that sends them.
final class SentCounter: Sendable {
    let count = Mutex(0)
}
