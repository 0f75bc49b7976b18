import Synchronization

/// Fairness between learners: each runs one attempt at a time, with a few more waiting their
/// turn; beyond that an attempt is answered "busy" at once. So one learner's parallel loops
/// occupy one sandbox process, and everyone else's attempts find the others free.
final class AttemptQueue: Sendable {
    /// Attempts a learner may have waiting behind the running one.
    let maxWaiting: Int
    /// Learners with an attempt running, each with the attempts waiting behind it.
    private let lines = Mutex<[String: [CheckedContinuation<SandboxError?, Never>]]>([:])

    init(maxWaiting: Int) {
        self.maxWaiting = maxWaiting
    }

    /// Waits for `learner`'s turn; a ``SandboxError/Kind/busy`` error instead when too many of
    /// their attempts already wait. Each admitted attempt must ``leave(_:)`` once it is done.
    func enter(_ learner: String) async -> SandboxError? {
        await withCheckedContinuation { (continuation: CheckedContinuation<SandboxError?, Never>) in
            let admitted: Bool? = lines.withLock { lines in
                guard let waiting = lines[learner] else {
                    lines[learner] = []
                    return true
                }
                guard waiting.count < maxWaiting else { return false }
                lines[learner] = waiting + [continuation]
                return nil
            }
            switch admitted {
            case true?: continuation.resume(returning: nil)
            case false?: continuation.resume(returning: busy)
            case nil: break
            }
        }
    }

    /// Ends `learner`'s running attempt: the next waiting one (if any) starts.
    func leave(_ learner: String) {
        let next: CheckedContinuation<SandboxError?, Never>? = lines.withLock { lines in
            guard var waiting = lines[learner], !waiting.isEmpty else {
                lines[learner] = nil
                return nil
            }
            let first = waiting.removeFirst()
            lines[learner] = waiting
            return first
        }
        next?.resume(returning: nil)
    }

    private var busy: SandboxError {
        SandboxError(
            .busy,
            "You already have \(maxWaiting + 1) attempts running or waiting, the most at once: wait for them to finish, then run this one again.")
    }
}
