import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program run to its end — `git log …`, a learner's test command — with a time limit and a cap
/// on how much of its output is kept, so a huge history or a hanging command cannot stall or flood
/// a lab run. It runs in a process group of its own (a timeout kills everything it started), with
/// stdin from /dev/null and stdout and stderr read separately. Spawned and waited for on a thread
/// of its own, never on a Swift concurrency thread.
public enum BoundedCommand {
    /// How a run ended and what it printed (each stream cut at the limit).
    public struct Output: Sendable {
        /// `nil` when it had to be killed (time limit or output cap).
        public let status: ExitStatus?
        public let standardOutput: Data
        public let standardError: Data
        public let timedOut: Bool
        /// True when it printed more than the limit, and was stopped.
        public let truncated: Bool

        public var succeeded: Bool { status == .exited(0) }
        public var text: String { String(decoding: standardOutput, as: UTF8.self) }
        public var errorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// Runs `arguments` (the first is looked up in `PATH`) with exactly `environment`.
    public static func run(
        _ arguments: [String], environment: [String: String], timeout: Duration, outputLimit: Int
    ) async throws(CommandFailure) -> Output {
        let result: Result<Output, CommandFailure> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: runBlocking(arguments, environment: environment, timeout: timeout, outputLimit: outputLimit))
            }
        }
        return try result.get()
    }

    private static func runBlocking(
        _ arguments: [String], environment: [String: String], timeout: Duration, outputLimit: Int
    ) -> Result<Output, CommandFailure> {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0 else { return .failure(CommandFailure(reason: String(cString: strerror(errno)))) }
        guard pipe(&errPipe) == 0 else {
            close(outPipe[0])
            close(outPipe[1])
            return .failure(CommandFailure(reason: String(cString: strerror(errno))))
        }
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for descriptor in [outPipe[0], outPipe[1], errPipe[0], errPipe[1]] {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let program = Self.locate(arguments.first ?? "", path: environment["PATH"])
        let spawned = posix_spawn(&pid, program, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            return .failure(CommandFailure(reason: "\(arguments.first ?? ""): \(String(cString: strerror(spawned)))"))
        }

        let deadline = ContinuousClock.now + timeout
        var standardOutput = Data()
        var standardError = Data()
        var open = [outPipe[0], errPipe[0]]
        var timedOut = false
        var truncated = false
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !open.isEmpty {
            let left = ContinuousClock.now.duration(to: deadline)
            if left <= .zero {
                timedOut = true
                break
            }
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let waitMS = Int32(min(left.milliseconds + 1, 1000))
            let ready = poll(&fds, nfds_t(fds.count), waitMS)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                let count = read(entry.fd, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                if count <= 0 {
                    close(entry.fd)
                    open.removeAll { $0 == entry.fd }
                    continue
                }
                if entry.fd == outPipe[0] {
                    standardOutput.append(contentsOf: buffer[0..<count])
                } else {
                    standardError.append(contentsOf: buffer[0..<count])
                }
            }
            if standardOutput.count > outputLimit || standardError.count > outputLimit {
                truncated = true
                break
            }
        }
        for descriptor in open { close(descriptor) }
        if timedOut || truncated { kill(-pid, SIGKILL) }
        var status: ExitStatus?
        var raw: Int32 = 0
        while true {
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw & 0x7f == 0 ? .exited((raw >> 8) & 0xff) : .signalled(raw & 0x7f)
                break
            }
            if result < 0, errno != EINTR { break }
            if ContinuousClock.now > deadline + .seconds(2) {
                timedOut = true
                kill(-pid, SIGKILL)
            }
            usleep(5_000)
        }
        if timedOut || truncated { status = nil }
        return .success(
            Output(
                status: status, standardOutput: standardOutput.prefix(outputLimit), standardError: standardError.prefix(outputLimit),
                timedOut: timedOut, truncated: truncated))
    }

    /// The executable `name` names: itself when it holds a slash, else the first match in `path`.
    static func locate(_ name: String, path: String?) -> String {
        guard !name.contains("/") else { return name }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return name
    }
}

/// A command could not be started at all (not installed, not executable).
public struct CommandFailure: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
