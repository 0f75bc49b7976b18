import Foundation
import Learning
import Logging
import Storage
import Synchronization

/// Runs the jobs of a ``JobQueue``: `concurrency` loops that each claim a job, run its kind's
/// handler while renewing the lease, and report the outcome. They wake when a job is enqueued
/// (a notification on ``JobQueue/channel``) and poll as a fallback, since notifications are best
/// effort and SQLite's do not cross processes.
///
/// ``stop(grace:)`` stops claiming and lets running jobs finish; a job still running when the
/// grace period ends is cancelled and put back for another worker.
public final class JobWorkerPool: Sendable {
    public typealias Handler = @Sendable (Job) async throws -> Void

    public struct Configuration: Sendable {
        /// Written to `jobs.lease_owner` and `job_attempts.worker_id`: host, process and a random part.
        public var workerID: String
        public var concurrency: Int
        /// How long a claim lasts without renewal: a job whose worker died runs again after this.
        public var leaseMilliseconds: Int64
        /// How often to look for due jobs when no notification came.
        public var pollInterval: Duration
        /// Work enqueued by the pool itself every `interval`, once across every instance.
        public var schedules: [Schedule]

        public init(
            workerID: String = JobWorkerPool.defaultWorkerID(), concurrency: Int = 2, leaseMilliseconds: Int64 = 30_000,
            pollInterval: Duration = .seconds(1), schedules: [Schedule] = []
        ) {
            self.workerID = workerID
            self.concurrency = concurrency
            self.leaseMilliseconds = leaseMilliseconds
            self.pollInterval = pollInterval
            self.schedules = schedules
        }
    }

    /// A job enqueued periodically. Its dedupe key names the period (`kind@number`), so however
    /// many instances enqueue it, each period gets one job.
    public struct Schedule: Sendable {
        public var kind: String
        public var payload: String
        public var intervalMilliseconds: Int64

        public init(kind: String, payload: String = "{}", intervalMilliseconds: Int64) {
            self.kind = kind
            self.payload = payload
            self.intervalMilliseconds = intervalMilliseconds
        }
    }

    /// A job whose kind has no handler here.
    public struct UnknownKind: Error, CustomStringConvertible {
        public let kind: String
        public var description: String { "no worker handles jobs of kind '\(kind)'" }
    }

    public let configuration: Configuration
    private let queue: JobQueue
    private let database: Database
    private let handlers: [String: Handler]
    private let logger: Logger
    private let wakeup = Wakeup()
    private let stopping = Mutex<(requested: Bool, graceDeadline: ContinuousClock.Instant?)>((false, nil))

    public init(database: Database, queue: JobQueue, handlers: [String: Handler], configuration: Configuration, logger: Logger) {
        self.database = database
        self.queue = queue
        self.handlers = handlers
        self.configuration = configuration
        self.logger = logger
    }

    public static func defaultWorkerID() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Runs until ``stop(grace:)`` is called (or the task is cancelled) and every loop has ended.
    public func run() async {
        logger.info("job workers started", metadata: ["worker": "\(configuration.workerID)", "concurrency": "\(configuration.concurrency)"])
        let notifications = database.listen(channel: JobQueue.channel)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wake(on: notifications) }
            group.addTask { await self.enqueueSchedules() }
            await withTaskGroup(of: Void.self) { loops in
                for _ in 0..<max(1, configuration.concurrency) {
                    loops.addTask { await self.workLoop() }
                }
            }
            group.cancelAll()
        }
        logger.info("job workers stopped", metadata: ["worker": "\(configuration.workerID)"])
    }

    /// Stops claiming jobs; jobs running after `grace` are cancelled and released.
    public func stop(grace: Duration = .seconds(10)) {
        stopping.withLock { $0 = (true, ContinuousClock.now + grace) }
        wakeup.signal()
    }

    private var isStopping: Bool { stopping.withLock { $0.requested } || Task.isCancelled }

    private func workLoop() async {
        while !isStopping {
            let seen = wakeup.generation
            do {
                if let job = try await queue.claim(workerID: configuration.workerID, leaseMilliseconds: configuration.leaseMilliseconds) {
                    await execute(job)
                    continue
                }
            } catch {
                guard !isStopping else { break }
                logger.warning("claiming a job failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            await wakeup.wait(after: seen, timeout: configuration.pollInterval)
        }
    }

    /// Runs one claimed job with a heartbeat renewing its lease, then reports the outcome.
    private func execute(_ job: Job) async {
        let metadata: Logger.Metadata = ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)"]
        logger.debug("job started", metadata: metadata)
        guard let handler = handlers[job.kind] else {
            await report(metadata) { try await queue.fail(job, workerID: configuration.workerID, error: UnknownKind(kind: job.kind).description) }
            return
        }
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await handler(job)) } catch { return .failure(error) }
            }
            group.addTask {
                await self.heartbeat(job)
                return nil
            }
            while let result = await group.next() {
                if let result {
                    group.cancelAll()
                    return result
                }
                // The heartbeat ended: the lease was lost, or the grace period after stop() ran out.
                group.cancelAll()
            }
            return .failure(CancellationError())
        }
        let worker = configuration.workerID
        switch outcome {
        case .success:
            await report(metadata) {
                if try await queue.complete(job, workerID: worker) {
                    logger.debug("job done", metadata: metadata)
                } else {
                    logger.warning("job finished after its lease was taken over; its result did not count", metadata: metadata)
                }
            }
        case .failure(is CancellationError) where isStopping:
            await report(metadata) { try await queue.release(job, workerID: worker) }
            logger.info("job put back unfinished: the worker is stopping", metadata: metadata)
        case .failure(let error):
            let reason = String(describing: error)
            await report(metadata) {
                let state = try await queue.fail(job, workerID: worker, error: reason)
                logger.warning("job failed", metadata: metadata.merging(["error": "\(reason)", "now": "\(state?.rawValue ?? "lost")"]) { $1 })
            }
        }
    }

    /// Renews the lease every third of its length; returns when the lease is lost or when the
    /// worker is stopping and the grace period has passed.
    private func heartbeat(_ job: Job) async {
        let interval = Duration.milliseconds(max(50, configuration.leaseMilliseconds / 3))
        var next = ContinuousClock.now + interval
        while true {
            let deadline = stopping.withLock { $0.graceDeadline }
            if let deadline, ContinuousClock.now >= deadline { return }
            try? await Task.sleep(until: min(next, deadline ?? next) + .milliseconds(1))
            if Task.isCancelled { return }
            guard ContinuousClock.now >= next else { continue }
            next = ContinuousClock.now + interval
            do {
                if try await !queue.renewLease(job, workerID: configuration.workerID, leaseMilliseconds: configuration.leaseMilliseconds) {
                    logger.warning("lost the lease of a running job; stopping it", metadata: ["job": "\(job.id)"])
                    return
                }
            } catch {
                logger.warning("renewing a job's lease failed", metadata: ["job": "\(job.id)", "error": "\(String(reflecting: error))"])
            }
        }
    }

    /// Writes an outcome, retrying briefly: a report lost to a passing database error would leave
    /// the job to be run again once its lease expires.
    private func report(_ metadata: Logger.Metadata, _ write: @Sendable () async throws -> Void) async {
        for attempt in 1...5 {
            do {
                return try await write()
            } catch {
                logger.warning("recording a job's outcome failed", metadata: metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
                try? await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }

    private func wake(on notifications: AsyncStream<String>) async {
        for await _ in notifications {
            wakeup.signal()
        }
    }

    private func enqueueSchedules() async {
        guard !configuration.schedules.isEmpty else { return }
        while !isStopping {
            let now = WallClock.nowMilliseconds()
            for schedule in configuration.schedules {
                let period = now / max(1, schedule.intervalMilliseconds)
                do {
                    try await queue.enqueue(kind: schedule.kind, payload: schedule.payload, dedupeKey: "\(schedule.kind)@\(period)")
                } catch {
                    logger.warning(
                        "enqueueing a periodic job failed", metadata: ["kind": "\(schedule.kind)", "error": "\(String(reflecting: error))"])
                }
            }
            let shortest = configuration.schedules.map(\.intervalMilliseconds).min() ?? 60_000
            let untilNextPeriod = shortest - now % max(1, shortest)
            try? await Task.sleep(for: .milliseconds(min(untilNextPeriod, 60_000) + 10))
        }
    }
}

/// Wakes every waiting worker loop at once. The generation counter closes the gap between a loop
/// finding no job and starting to wait: a signal in between makes the wait return at once.
final class Wakeup: Sendable {
    private struct State {
        var generation = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    var generation: Int { state.withLock { $0.generation } }

    func signal() {
        let waiters = state.withLock { state in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns on a signal later than `seen`, or after `timeout`.
    func wait(after seen: Int, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.signalled(after: seen) }
            await group.next()
            group.cancelAll()
        }
    }

    private func signalled(after seen: Int) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.generation != seen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
