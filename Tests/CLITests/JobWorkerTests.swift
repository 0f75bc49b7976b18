import Foundation
import Jobs
import SQLKit
import Storage
import TestSupport
import Testing

/// `groundwork worker` as an operator runs it: several processes on one queue, on an SQLite file
/// and on PostgreSQL, one of them killed with SIGKILL while it holds a job.
@Suite("Job workers", .serialized)
struct JobWorkerTests {
    @Test(
        "two workers run 500 jobs exactly once each; a worker killed mid-job has its job finished by the other",
        arguments: DatabaseKind.allCases)
    func twoWorkersOneQueue(kind: DatabaseKind) async throws {
        try await Self.withStorage(kind) { storage, database in
            // setup: two workers with short leases, so a dead worker's job is taken over quickly
            let queue = JobQueue(database: database)
            let arguments = ["worker", "--concurrency", "4", "--lease-seconds", "2"] + storage
            let workers = [try GroundworkProcess(arguments), try GroundworkProcess(arguments)]
            defer { for worker in workers where worker.process.isRunning { kill(worker.process.processIdentifier, SIGKILL) } }
            let pids = workers.map(\.process.processIdentifier)
            func pid(of workerID: String) -> Int32? { pids.first { workerID.contains(":\($0):") } }

            // MUT 1: 500 jobs, enqueued at once while both workers run
            let enqueued = try await GroundworkProcess.run(["jobs", "enqueue", "probe", "--sleep-ms", "20", "--count", "500"] + storage)
            #expect(enqueued.code == 0, "\(enqueued.err)")
            #expect(enqueued.out.contains("Enqueued 500 probe jobs"))
            try await Self.waitUntil(timeout: .seconds(60)) { try await queue.list(state: .done, kind: "probe", limit: 1000).count == 500 }

            // validate 1: one attempt per job, succeeded, by one of the two workers, and both took part
            let attempts = try await queue.attempts(kind: "probe")
            let perJob = Dictionary(grouping: attempts, by: \.jobID)
            #expect(perJob.count == 500)
            #expect(perJob.values.allSatisfy { $0.count == 1 && $0[0].outcome == .succeeded })
            let byWorker = Dictionary(grouping: attempts) { pid(of: $0.workerID) }
            #expect(byWorker[nil] == nil, "attempts by unknown workers: \(byWorker[nil]?.map(\.workerID) ?? [])")
            #expect(Set(byWorker.keys.compactMap { $0 }) == Set(pids), "both workers should have run jobs: \(byWorker.mapValues(\.count))")

            // MUT 2: a slow job; whichever worker holds it is killed without warning
            let slow = try #require(try await queue.enqueue(kind: "probe", payload: BuiltInJobs.ProbePayload(sleepMilliseconds: 2_500).json))
            var holder: Int32?
            try await Self.waitUntil(timeout: .seconds(10)) {
                holder = try await queue.job(id: slow)?.leaseOwner.flatMap(pid(of:))
                return holder != nil
            }
            let victim = try #require(holder)
            kill(victim, SIGKILL)
            try await Self.waitUntil(timeout: .seconds(20)) { try await queue.job(id: slow)?.state == .done }

            // validate 2: the killed worker's attempt expired; the survivor finished the job
            let slowAttempts = try await queue.attempts(jobID: slow)
            #expect(slowAttempts.map(\.outcome) == [.expired, .succeeded])
            #expect(slowAttempts.map { pid(of: $0.workerID) } == [victim, pids.first { $0 != victim }])

            // the survivor stops cleanly on SIGTERM
            let survivor = try #require(workers.first { $0.process.processIdentifier != victim })
            survivor.process.terminate()
            #expect(try await survivor.waitForExit(timeout: .seconds(15)) == 0)
        }
    }

    @Test("jobs status counts jobs per state and shows why failed jobs failed; wrong input is one clear line")
    func statusAndErrors() async throws {
        try await Self.withStorage(.sqlite) { storage, database in
            // setup: a probe that always fails, run by a worker until it gives up
            let enqueue = try await GroundworkProcess.run(
                ["jobs", "enqueue", "probe", "--fail", "deliberately broken", "--max-attempts", "1"] + storage)
            #expect(enqueue.code == 0, "\(enqueue.err)")
            let worker = try GroundworkProcess(["worker"] + storage)
            defer { if worker.process.isRunning { kill(worker.process.processIdentifier, SIGKILL) } }
            try await Self.waitUntil(timeout: .seconds(20)) { try await JobQueue(database: database).counts()[.failed] == 1 }
            worker.process.terminate()
            #expect(try await worker.waitForExit(timeout: .seconds(15)) == 0)
            // MUT
            let status = try await GroundworkProcess.run(["jobs", "status"] + storage)
            // validate
            #expect(status.code == 0, "\(status.err)")
            #expect(status.out.contains("failed 1"))
            #expect(status.out.contains("last error: deliberately broken"))
            for (arguments, message) in [
                (["jobs", "enqueue", "mail"], "'mail' is not a job kind: use probe or sessions.cleanup"),
                (["jobs", "enqueue", "sessions.cleanup", "--sleep-ms", "5"], "--sleep-ms and --fail apply only to probe jobs"),
                (["jobs", "enqueue", "probe", "--count", "0"], "--count must be from 1 to 100000, not 0"),
                (["jobs", "list", "--state", "stuck"], "--state 'stuck' is not a job state: use queued, running, done, failed"),
                (["worker", "--lease-seconds", "0"], "--lease-seconds '0' is not a number of seconds from 1 to 3600"),
                (["worker", "--concurrency", "many"], "--concurrency 'many' is not a number of jobs from 1 to 64"),
            ] {
                let result = try await GroundworkProcess.run(arguments + storage)
                #expect(result.code != 0)
                #expect(result.err.contains(message), "\(arguments): \(result.err)")
            }
        }
    }

    /// The storage options for a `groundwork` process, and the same database opened by the test.
    static func withStorage(_ kind: DatabaseKind, _ body: ([String], Database) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { location in
            let folder = ServeCommandTests.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let storage = location.postgresConnectionURL.map { ["--database", $0] } ?? ["--data", folder]
            let migrated = try await GroundworkProcess.run(["migrate"] + storage)
            #expect(migrated.code == 0, "\(migrated.err)")
            let database =
                if let url = location.postgresConnectionURL {
                    try await Database.postgres(url: url, logger: TestDatabase.logger)
                } else {
                    try await Database.sqlite(path: folder + "/groundwork.sqlite", logger: TestDatabase.logger)
                }
            do {
                try await body(storage, database)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        }
    }

    static func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw GroundworkProcess.TimedOut(description: "condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
