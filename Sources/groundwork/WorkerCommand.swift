import ArgumentParser
import Foundation
import Jobs
import Learning
import Logging
import ServiceLifecycle
import Storage

/// `groundwork worker`: runs the background-job workers without the web server, until SIGINT or
/// SIGTERM; then it stops claiming, lets running jobs finish (or puts them back) and exits 0.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker", abstract: "Run background-job workers without the web server (serve runs them too)."
    )

    @Option(help: "Jobs run at the same time by this process (env GROUNDWORK_JOB_CONCURRENCY; default 2).")
    var concurrency: String?

    @Option(
        help:
            "Seconds a claimed job stays reserved without a heartbeat; a job whose worker died runs again after this (env GROUNDWORK_JOB_LEASE_SECONDS; default 30)."
    )
    var leaseSeconds: String?

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let settings = try WorkerSettings.resolve(concurrency: concurrency, leaseSeconds: leaseSeconds)
        let logger = Logger.groundwork()
        let database = try await storage.openDatabase(logger: logger)
        let workers = JobWorkerService(database: database, settings: settings, logger: logger)
        logger.info(
            "Groundwork worker \(workers.pool.configuration.workerID) running up to \(settings.concurrency) job(s) at a time — data in \(storage.location)"
        )
        do {
            try await ServiceGroup(configuration: .init(services: [workers], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
        } catch {
            await database.close()
            throw ValidationError("the worker stopped: \(error)")
        }
        await database.close()
        logger.info("Groundwork worker stopped cleanly")
    }
}

/// How many jobs a process runs at once and how long its leases last: flags, then environment, then defaults.
struct WorkerSettings {
    var concurrency = 2
    var leaseSeconds = 30

    static func resolve(concurrency: String? = nil, leaseSeconds: String? = nil) throws -> WorkerSettings {
        var settings = WorkerSettings()
        if let text = concurrency ?? Environment.value("GROUNDWORK_JOB_CONCURRENCY") {
            guard let value = Int(text), (1...64).contains(value) else {
                throw ValidationError("--concurrency '\(text)' is not a number of jobs from 1 to 64")
            }
            settings.concurrency = value
        }
        if let text = leaseSeconds ?? Environment.value("GROUNDWORK_JOB_LEASE_SECONDS") {
            guard let value = Int(text), (1...3600).contains(value) else {
                throw ValidationError("--lease-seconds '\(text)' is not a number of seconds from 1 to 3600")
            }
            settings.leaseSeconds = value
        }
        return settings
    }
}

/// The worker pool with Groundwork's built-in job kinds, as a service: a graceful shutdown stops
/// claiming and gives running jobs ten seconds to finish before they are put back.
struct JobWorkerService: Service {
    let pool: JobWorkerPool

    init(database: Database, settings: WorkerSettings, logger: Logger) {
        pool = JobWorkerPool(
            database: database, queue: JobQueue(database: database),
            handlers: BuiltInJobs.handlers(database: database, logger: logger),
            configuration: .init(
                concurrency: settings.concurrency, leaseMilliseconds: Int64(settings.leaseSeconds) * 1000,
                schedules: BuiltInJobs.schedules),
            logger: logger
        )
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await pool.run()
        } onGracefulShutdown: {
            pool.stop(grace: .seconds(10))
        }
    }
}

/// `groundwork jobs …`: look at the job queue and put work on it, for operators.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "Inspect the background-job queue and enqueue jobs.",
        subcommands: [Status.self, List.self, Enqueue.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs per state, failed jobs with their reasons, and recently active workers.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            try await withQueue(storage) { queue, _ in
                let counts = try await queue.counts()
                print(JobState.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", "))
                let failed = try await queue.list(state: .failed, limit: 20)
                if !failed.isEmpty {
                    print("\nFailed jobs, newest first:")
                    for job in failed { print("  " + describe(job)) }
                }
                let workers = try await queue.workerActivity(since: WallClock.nowMilliseconds() - 600_000)
                if !workers.isEmpty {
                    print("\nWorkers that started jobs in the last 10 minutes:")
                    for worker in workers {
                        print("  \(worker.workerID): \(worker.claims) job(s), the last at \(timestamp(worker.lastStartedAt))")
                    }
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first.")

        @Option(help: "Only jobs in this state: queued, running, done or failed.")
        var state: String?

        @Option(help: "Only jobs of this kind.")
        var kind: String?

        @Option(help: "At most this many jobs (default 50).")
        var limit = 50

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let state = try state.map { text in
                guard let state = JobState(rawValue: text) else {
                    throw ValidationError("--state '\(text)' is not a job state: use \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return state
            }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000, not \(limit)") }
            try await withQueue(storage) { queue, _ in
                let jobs = try await queue.list(state: state, kind: kind, limit: limit)
                if jobs.isEmpty { print("No jobs.") }
                for job in jobs { print(describe(job)) }
            }
        }
    }

    struct Enqueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put jobs on the queue, e.g. `groundwork jobs enqueue probe --sleep-ms 500` to see that workers are alive."
        )

        @Argument(help: "The kind of job: \(BuiltInJobs.kinds.joined(separator: " or ")).")
        var kind: String

        @Option(help: "probe only: milliseconds the job takes.")
        var sleepMs: Int?

        @Option(help: "probe only: fail every attempt with this reason (to see retries and the failed state).")
        var fail: String?

        @Option(help: "How many jobs to enqueue (default 1).")
        var count = 1

        @Option(help: "Attempts before a failing job is given up (default 5).")
        var maxAttempts = 5

        @OptionGroup var storage: StorageOptions

        func validate() throws {
            guard BuiltInJobs.kinds.contains(kind) else {
                throw ValidationError("'\(kind)' is not a job kind: use \(BuiltInJobs.kinds.joined(separator: " or "))")
            }
            if kind != BuiltInJobs.probe, sleepMs != nil || fail != nil {
                throw ValidationError("--sleep-ms and --fail apply only to probe jobs")
            }
            if let sleepMs, !(0...86_400_000).contains(sleepMs) {
                throw ValidationError("--sleep-ms must be from 0 to 86400000 (a day), not \(sleepMs)")
            }
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be from 1 to 100000, not \(count)") }
            guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be from 1 to 100, not \(maxAttempts)") }
        }

        func run() async throws {
            let payload = kind == BuiltInJobs.probe ? BuiltInJobs.ProbePayload(sleepMilliseconds: sleepMs, fail: fail).json : "{}"
            let (kind, count, maxAttempts) = (kind, count, maxAttempts)
            try await withQueue(storage) { queue, database in
                let ids = try await database.transaction { sql in
                    var ids: [String] = []
                    for _ in 0..<count {
                        if let id = try await queue.enqueue(kind: kind, payload: payload, maxAttempts: maxAttempts, in: sql) { ids.append(id) }
                    }
                    return ids
                }
                print(count == 1 ? "Enqueued \(kind) job \(ids.first ?? "")." : "Enqueued \(ids.count) \(kind) jobs.")
            }
        }
    }
}

/// Opens the database, runs `body` with its queue, and closes it again.
private func withQueue(_ storage: StorageOptions, _ body: (JobQueue, Database) async throws -> Void) async throws {
    let database = try await storage.openDatabase(logger: Logger.groundwork())
    do {
        try await body(JobQueue(database: database), database)
    } catch {
        await database.close()
        throw error
    }
    await database.close()
}

private func describe(_ job: Job) -> String {
    var text = "\(job.id)  \(job.kind)  \(job.state.rawValue)  attempts \(job.attempts)/\(job.maxAttempts)  created \(timestamp(job.createdAt))"
    if job.state == .queued, job.runAfter > WallClock.nowMilliseconds() { text += "  next try \(timestamp(job.runAfter))" }
    if let owner = job.leaseOwner, job.state == .running { text += "  held by \(owner)" }
    if let error = job.lastError { text += "  last error: \(error)" }
    return text
}

private func timestamp(_ milliseconds: Int64) -> String {
    Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
}
