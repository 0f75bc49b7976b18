import Synchronization

/// A lab run in progress on this instance: the events so far, and the pages following it.
/// A page that subscribes late first gets every event it missed, then the rest as they happen.
final class LiveRun: Sendable {
    let id: String
    let labID: String
    let learnerID: String
    private let state = Mutex(State())

    private struct State {
        var events: [RunStreamEvent] = []
        var finished = false
        var subscribers: [Int: AsyncStream<RunStreamEvent>.Continuation] = [:]
        var nextSubscriber = 0
    }

    init(id: String, labID: String, learnerID: String) {
        self.id = id
        self.labID = labID
        self.learnerID = learnerID
    }

    /// The run's page; its events are at `/events` below it.
    var resultPath: String { "/labs/\(labID)/runs/\(id)" }

    /// Adds the next event; `final` ends the stream for every subscriber.
    func publish(name: String, data: String, final: Bool = false) {
        let (event, subscribers) = state.withLock { state in
            let event = RunStreamEvent(id: state.events.count + 1, name: name, data: data)
            state.events.append(event)
            let subscribers = Array(state.subscribers.values)
            if final {
                state.finished = true
                state.subscribers = [:]
            }
            return (event, subscribers)
        }
        // Outside the lock: finishing a stream runs its termination handler, which takes the lock.
        for subscriber in subscribers {
            subscriber.yield(event)
            if final { subscriber.finish() }
        }
    }

    /// Every event after `lastID`, then each new one until the run ends.
    func events(after lastID: Int) -> AsyncStream<RunStreamEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunStreamEvent.self)
        let finished = state.withLock { state in
            for event in state.events where event.id > lastID { continuation.yield(event) }
            guard !state.finished else { return true }
            let key = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[key] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: key) }
            }
            return false
        }
        if finished { continuation.finish() }
        return stream
    }
}

/// The runs in progress on this instance, by id. A run is here from its start until its result
/// is stored; after that, pages read it from the database.
final class LiveRuns: Sendable {
    private let runs = Mutex<[String: LiveRun]>([:])

    /// Registers a new run, unless the learner already has one going (which is returned instead).
    func begin(_ run: LiveRun) -> LiveRun? {
        runs.withLock { runs in
            if let running = runs.values.first(where: { $0.learnerID == run.learnerID }) { return running }
            runs[run.id] = run
            return nil
        }
    }

    func run(id: String) -> LiveRun? {
        runs.withLock { $0[id] }
    }

    func end(_ run: LiveRun) {
        _ = runs.withLock { $0.removeValue(forKey: run.id) }
    }
}
