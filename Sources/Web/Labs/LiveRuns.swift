import Foundation
import Learning
import Logging
import Storage
import Synchronization

/// Lab runs in progress, kept in the database so that any instance can follow a run executing on
/// another: the instance running it writes its events (``LiveRun``), pages anywhere read them
/// (``events(of:after:)``). A learner has one run going across every instance, and a run whose
/// instance died — its heartbeat stopped — ends as abandoned instead of running for ever.
struct LiveRuns: Sendable {
    /// How often the running instance proves it is alive, how long silence means it died, how often
    /// followers look for new events, and how long a finished run's events stay for late followers.
    struct Timing: Sendable {
        var heartbeat: Duration = .seconds(5)
        var abandonedAfter: Duration = .seconds(30)
        var poll: Duration = .milliseconds(150)
        var keptFor: Duration = .seconds(600)
    }

    let repository: any LiveLabRunRepository
    let timing: Timing

    init(repository: any LiveLabRunRepository, timing: Timing = Timing()) {
        self.repository = repository
        self.timing = timing
    }

    static let abandonedDetail = "The server running this lab stopped before the run finished, so its result was not saved. Please run it again."

    /// What ``begin(labID:learnerID:logger:)`` did.
    enum Start {
        /// The new run, for the runner to publish its events to.
        case started(LiveRun)
        /// The learner's run that is still going; nothing was started.
        case busy(LiveLabRun)
    }

    /// Registers a new run, unless the learner already has one going anywhere.
    func begin(labID: String, learnerID: String, logger: Logger) async throws -> Start {
        let now = Self.now()
        let row = LiveLabRun(id: LabRun.makeID(), learnerID: learnerID, labID: labID, startedAt: now, heartbeatAt: now)
        if let running = try await repository.begin(
            row, abandonedThrough: now - timing.abandonedAfter.inMilliseconds,
            abandonedEvent: Self.abandonedEvent, forgetThrough: now - timing.keptFor.inMilliseconds)
        {
            return .busy(running)
        }
        return .started(LiveRun(row, repository: repository, heartbeat: timing.heartbeat, logger: logger))
    }

    /// The run if it is still going; a run whose instance went silent is ended as abandoned here.
    func going(id: String) async throws -> LiveLabRun? {
        guard let run = try await repository.find(id: id), !run.finished else { return nil }
        return try await abandonIfSilent(run) ? nil : run
    }

    /// Every event of the run after `lastID`, then each new one until the run ends: a page that comes
    /// late gets what it missed first. Reads the database, so the run may execute on any instance.
    func events(of runID: String, after lastID: Int) -> AsyncThrowingStream<RunStreamEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: RunStreamEvent.self)
        let following = Task {
            do {
                var last = lastID
                while !Task.isCancelled {
                    let events = try await repository.events(runID: runID, after: last)
                    for event in events {
                        continuation.yield(RunStreamEvent(id: event.seq, name: event.name, data: event.data))
                        last = event.seq
                    }
                    if events.isEmpty {
                        // Nothing new: the run ended (its last event is already read: it is written
                        // with the end), went silent (end it, then read that end), or is still going.
                        guard let run = try await repository.find(id: runID) else { break }
                        if run.finished {
                            let rest = try await repository.events(runID: runID, after: last)
                            for event in rest { continuation.yield(RunStreamEvent(id: event.seq, name: event.name, data: event.data)) }
                            break
                        }
                        if try await abandonIfSilent(run) { continue }
                        try await Task.sleep(for: timing.poll)
                    }
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in following.cancel() }
        return stream
    }

    private func abandonIfSilent(_ run: LiveLabRun) async throws -> Bool {
        let silentSince = Self.now() - timing.abandonedAfter.inMilliseconds
        guard run.heartbeatAt <= silentSince else { return false }
        return try await repository.abandon(runID: run.id, abandonedThrough: silentSince, event: Self.abandonedEvent)
    }

    static let abandonedEvent = (name: "problem", data: RunStreamEvent.encode(RunStreamEvent.Problem(detail: abandonedDetail)))

    /// Milliseconds since 1970, the unit of the live-run tables.
    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// A run executing on this instance, as its runner sees it: ``publish(name:data:)`` takes each
/// event at once (the runner cannot wait), and a background writer stores them in order, a batch
/// per write, while a heartbeat tells other instances this one is alive.
final class LiveRun: Sendable {
    let id: String
    let labID: String
    let learnerID: String
    private let pending = PendingEvents()
    private let wake: AsyncStream<Void>.Continuation
    private let writer: Task<Void, Never>

    fileprivate init(_ row: LiveLabRun, repository: any LiveLabRunRepository, heartbeat: Duration, logger: Logger) {
        id = row.id
        labID = row.labID
        learnerID = row.learnerID
        let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let store = EventWriter(runID: row.id, repository: repository, pending: pending, logger: logger)
        writer = Task {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while (try? await Task.sleep(for: heartbeat)) != nil {
                        await store.beat()
                    }
                }
                for await _ in wakes { await store.flush(final: false) }
                await store.flush(final: true)
                group.cancelAll()
            }
        }
        self.wake = wake
    }

    /// The run's page; its events are at `/events` below it.
    var resultPath: String { "/labs/\(labID)/runs/\(id)" }

    /// Adds the next event; it is stored shortly after, in order.
    func publish(name: String, data: String) {
        pending.append((name, data))
        wake.yield()
    }

    /// Adds the run's last event and returns once it (and every one before it) is stored.
    func finish(name: String, data: String) async {
        pending.append((name, data))
        wake.finish()
        await writer.value
    }
}

/// Events published but not stored yet, in order.
private final class PendingEvents: Sendable {
    private let events = Mutex<[(name: String, data: String)]>([])

    func append(_ event: (name: String, data: String)) {
        events.withLock { $0.append(event) }
    }

    func takeAll() -> [(name: String, data: String)] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }

    /// Puts back events whose write failed, ahead of any published since.
    func putBack(_ taken: [(name: String, data: String)]) {
        events.withLock { $0.insert(contentsOf: taken, at: 0) }
    }
}

/// Stores a live run's pending events. A failed write keeps its events for the next one; once the
/// run has been ended by another instance (this one seemed dead), later events are dropped.
private actor EventWriter {
    let runID: String
    let repository: any LiveLabRunRepository
    let pending: PendingEvents
    let logger: Logger
    private var endedElsewhere = false

    init(runID: String, repository: any LiveLabRunRepository, pending: PendingEvents, logger: Logger) {
        self.runID = runID
        self.repository = repository
        self.pending = pending
        self.logger = logger
    }

    /// Moves the run's heartbeat, so other instances see it is still going.
    func beat() async {
        do {
            _ = try await repository.append(runID: runID, events: [], at: LiveRuns.now(), finish: false)
        } catch {
            logger.warning("a lab run's heartbeat failed", metadata: ["run": "\(runID)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Writes what is pending; the final flush, which carries the run's end, tries a few times.
    func flush(final: Bool) async {
        let events = pending.takeAll()
        guard !endedElsewhere, !events.isEmpty || final else { return }
        let attempts = final ? 3 : 1
        for attempt in 1...attempts {
            do {
                if try await !repository.append(runID: runID, events: events, at: LiveRuns.now(), finish: final) {
                    endedElsewhere = true
                    logger.warning("a lab run was ended by another instance while it ran here", metadata: ["run": "\(runID)"])
                }
                return
            } catch {
                logger.error("storing a lab run's events failed", metadata: ["run": "\(runID)", "error": "\(String(reflecting: error))"])
                if attempt < attempts { try? await Task.sleep(for: .milliseconds(200 * attempt)) }
            }
        }
        if !final { pending.putBack(events) }
    }
}

extension Duration {
    /// The duration in whole milliseconds, the unit of the live-run tables.
    var inMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
