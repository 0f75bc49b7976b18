import Foundation
import Synchronization

/// One `groundwork-sql-sandbox` process, seen from the server: started with posix_spawn (its
/// stdin and stdout are pipes to us, its stderr /dev/null, none of our other descriptors), sent
/// one attempt at a time, and killed — never merely asked — when an attempt overruns its deadline
/// or is cancelled. Used by one thread at a time; only ``kill()`` comes from elsewhere.
final class SandboxProcess: @unchecked Sendable {
    /// How an exchange with the process ended.
    enum Outcome {
        case answered(SandboxJob.Answer)
        /// No answer by the deadline: the process was killed.
        case overran
        /// The process died, or was killed by ``kill()``.
        case died
        /// The process had already ended (while idle): the job never reached it.
        case notSent
    }

    private let running = Mutex<pid_t?>(nil)
    private let input: Int32
    private let output: Int32

    /// Starts `program`.
    init(program: String) throws(SandboxUnavailable) {
        // Every spawn holds this lock and marks its pipes close-on-exec before the next, so no
        // sandbox process inherits another's pipe (which would keep it open after the server closed it).
        Self.spawning.lock()
        defer { Self.spawning.unlock() }
        _ = Self.ignoreBrokenPipes
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard Self.makePipe(&toChild) else { throw SandboxUnavailable("cannot start the SQL sandbox: \(String(cString: strerror(errno)))") }
        guard Self.makePipe(&fromChild) else {
            close(toChild[0])
            close(toChild[1])
            throw SandboxUnavailable("cannot start the SQL sandbox: \(String(cString: strerror(errno)))")
        }
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for descriptor in 3...max(3, Self.highestOpenDescriptor()) {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup(program), nil]
        // A scrubbed environment. A build instrumented for code coverage names where its profile
        // goes; without it the child would write `default.profraw` into the working folder.
        let profile = ProcessInfo.processInfo.environment["LLVM_PROFILE_FILE"].map { ["LLVM_PROFILE_FILE=" + $0] } ?? []
        let environment: [UnsafeMutablePointer<CChar>?] = (["PATH=/usr/bin:/bin"] + profile).map { strdup($0) } + [nil]
        defer {
            for argument in arguments + environment { free(argument) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, program, &actions, nil, arguments, environment)
        close(toChild[0])
        close(fromChild[1])
        guard result == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SandboxUnavailable("cannot start the SQL sandbox program \(program): \(String(cString: strerror(result)))")
        }
        // Below the server's priority from the start (the program lowers it itself too, but only
        // once it is loaded, and loading it is work as well).
        Self.setPriority(of: pid, to: 10)
        running.withLock { $0 = pid }
        input = toChild[1]
        output = fromChild[0]
    }

    deinit {
        kill()
        close(input)
        close(output)
    }

    /// Sends `job` and waits for its answer until `deadline`; kills the process if none comes.
    func run(_ job: SandboxJob, until deadline: ContinuousClock.Instant) -> Outcome {
        guard let data = try? SandboxJob.serialize(job), Frame.write(data, to: input) else {
            kill()
            return .notSent
        }
        if !Frame.waitReadable(output, until: .now + Self.quickAttempt) {
            lowerPriority()
        }
        guard let answer = Frame.read(from: output, until: deadline) else {
            let overran = ContinuousClock.now >= deadline && isRunning
            kill()
            return overran ? .overran : .died
        }
        guard let decoded = try? SandboxJob.deserialize(SandboxJob.Answer.self, from: answer) else {
            kill()
            return .died
        }
        return .answered(decoded)
    }

    /// How long an attempt runs at the sandbox's usual priority; practice queries take a few
    /// milliseconds, so an attempt still running after this yields the CPU to everyone else's.
    static let quickAttempt = Duration.milliseconds(100)

    var isRunning: Bool { running.withLock { $0 != nil } }

    /// Drops the process to the lowest CPU priority, for the rest of its life (a process that ran
    /// long is seldom reused: a limit it reached gets it killed).
    private func lowerPriority() {
        guard let pid = running.withLock({ $0 }) else { return }
        Self.setPriority(of: pid, to: 19)
    }

    private static func setPriority(of pid: pid_t, to niceness: Int32) {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(pid), niceness)
        #else
            _ = setpriority(PRIO_PROCESS, id_t(pid), niceness)
        #endif
    }

    /// Kills the process at once (SIGKILL) and reaps it; from any thread, any number of times.
    func kill() {
        running.withLock { pid in
            guard let running = pid else { return }
            _ = sendSignal(running, SIGKILL)
            var status: Int32 = 0
            while waitpid(running, &status, 0) < 0 && errno == EINTR {}
            pid = nil
        }
    }

    /// Memory the process holds now (resident set), in bytes; nil when unknown.
    var residentBytes: Int? {
        guard let pid = running.withLock({ $0 }),
            let statm = try? String(contentsOfFile: "/proc/\(pid)/statm", encoding: .utf8)
        else { return nil }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return nil }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static let spawning = NSLock()

    /// A write to a process that died must fail with EPIPE, not end this process with SIGPIPE
    /// (NIO ignores it too, once it opens a socket; `groundwork sql try` opens none).
    private static let ignoreBrokenPipes: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()

    private static func makePipe(_ descriptors: inout [Int32]) -> Bool {
        guard pipe(&descriptors) == 0 else { return false }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private static func highestOpenDescriptor() -> Int32 {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap { Int32($0) }.max() ?? min(getdtablesize(), 4096)
    }
}

/// The SQL sandbox program cannot be found or started: an installation problem, said with what to do.
public struct SandboxUnavailable: Error, Sendable, CustomStringConvertible {
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// `kill(2)`, under a name that ``SandboxProcess/kill()`` does not hide.
private func sendSignal(_ pid: pid_t, _ signal: Int32) -> Int32 { kill(pid, signal) }
