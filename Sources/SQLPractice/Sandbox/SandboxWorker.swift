import CSystemSQLite
import Foundation

/// The `groundwork-sql-sandbox` program: runs learners' SQL attempts one at a time, each read from
/// stdin and answered on stdout, for the server or CLI that started it (see ``Sandbox``). It is a
/// process of its own so that an attempt can be stopped for certain — killed — whatever SQLite is
/// doing, and so the memory an attempt took goes back to the system when the process ends. Before
/// the first attempt it asks to die with its parent, lowers its priority below the server's, and
/// forbids itself to write files.
public enum SandboxWorker {
    /// Serves attempts until stdin closes; returns the exit status.
    public static func serve() -> Int32 {
        groundwork_die_with_parent()
        _ = nice(10)
        var nothing = rlimit(rlim_cur: 0, rlim_max: 0)
        #if os(Linux)
            setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &nothing)
            setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &nothing)
        #else
            setrlimit(RLIMIT_FSIZE, &nothing)
            setrlimit(RLIMIT_CORE, &nothing)
        #endif
        while let frame = Frame.read(from: 0) {
            let answer: SandboxJob.Answer
            if let job = try? SandboxJob.deserialize(SandboxJob.self, from: frame) {
                sqlite3_hard_heap_limit64(Int64(job.limits.memoryPerAttempt))
                answer = job.run()
            } else {
                answer = .datasetUnusable("the SQL sandbox program could not read the attempt it was sent: is it the same version as groundwork?")
            }
            guard let data = try? SandboxJob.serialize(answer), Frame.write(data, to: 1) else { return 1 }
        }
        return 0
    }
}
