import NIOPosix
import Synchronization

/// The threads that talk to the sandbox processes (each waits on one attempt's answer) and build
/// the dataset: their own pool, never an event loop or the Swift concurrency pool, because they
/// block. Six: more than a few learners' bombs at once, so that with one attempt per learner
/// (``AttemptQueue``) someone else's query still finds a free process. Idle sandbox processes
/// wait here for the next attempt. Lives as long as the process, like NIO's singletons — which
/// matters: Linux kills a sandbox process when the *thread* that started it ends
/// (`PR_SET_PDEATHSIG`), and only these threads start them.
enum SandboxThreads {
    static let count = 6

    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: count)
        pool.start()
        return pool
    }()

    /// Sandbox processes between attempts, at most one per thread.
    static let idle = Mutex<[SandboxProcess]>([])

    /// A process after an attempt that left it small goes back to `idle`; one that grew is killed,
    /// so the memory a hungry attempt took goes back to the system.
    static let largestIdleResidentBytes = 48 << 20
}
