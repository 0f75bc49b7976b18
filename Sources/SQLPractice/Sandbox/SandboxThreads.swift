import CSystemSQLite
import NIOPosix

/// The threads learners' SQL runs on: their own pool, never an event loop or the Swift concurrency
/// pool, because SQLite blocks the thread it runs on — a slow query must never stall the web server
/// or another learner's request. Lives as long as the process, like NIO's singletons.
enum SandboxThreads {
    /// Four threads: several learners run at once, and each statement is bounded by the time limit,
    /// so a queue never stays long.
    static let pool: NIOThreadPool = {
        // Every sandbox connection together may use this much memory; a hungry query fails with
        // "out of memory" instead of taking the server down.
        sqlite3_hard_heap_limit64(512 * 1024 * 1024)
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()
}
