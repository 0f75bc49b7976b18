import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One run of `/bin/sh -c COMMAND`, spawned directly rather than with Foundation's `Process`:
/// the child gets a process group of its own (so a stop reaches whatever the shell started),
/// default signal handling and an empty signal mask (`Process` passes on this process's ignored
/// and blocked signals, and a server that ignores SIGTERM cannot be stopped gracefully), stdin
/// from /dev/null and none of this process's other descriptors. Its stdout and stderr share one
/// pipe, as in a terminal, so their lines keep the order they were written in; it is read line by
/// line on a thread of its own.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let outputOpen = Atomic<Bool>(true)

    /// Starts `command`; `line` receives each line it prints.
    init(command: String, environment: [String: String], line: @escaping @Sendable (String) -> Void) throws(SpawnFailure) {
        var output: [Int32] = [-1, -1]
        guard pipe(&output) == 0 else { throw SpawnFailure(reason: String(cString: strerror(errno))) }

        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t? = nil
            var attributes: posix_spawnattr_t? = nil
            var flags = POSIX_SPAWN_CLOEXEC_DEFAULT
        #else
            var actions = posix_spawn_file_actions_t()
            var attributes = posix_spawnattr_t()
            var flags: Int32 = 0
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, output[1], 2)
        #if !canImport(Darwin)
            // What Foundation does where POSIX_SPAWN_CLOEXEC_DEFAULT is missing: close every other descriptor.
            for descriptor in 3...max(3, Self.highestOpenDescriptor()) {
                posix_spawn_file_actions_addclose(&actions, descriptor)
            }
        #endif

        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        flags |= Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let words = ["/bin/sh", "-c", command]
        let arguments: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let variables: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, "/bin/sh", &actions, &attributes, arguments, variables)
        close(output[1])
        guard result == 0 else {
            close(output[0])
            throw SpawnFailure(reason: String(cString: strerror(result)))
        }
        self.pid = pid
        readLines(from: output[0], line)
    }

    /// Reaps the shell once it has ended and returns how; `nil` while it runs. Only one caller
    /// may poll (a reaped process cannot be asked again).
    func poll() -> ExitStatus? {
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return result == 0 ? nil : .exited(-1) }
        return status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signalled(status & 0x7f)
    }

    /// Sends `signal` to every process of the group: the shell and everything it started.
    func signalGroup(_ signal: Int32) {
        kill(-pid, signal)
    }

    /// True while a process of the group is still running: whatever the shell started may outlive
    /// it. Zombies do not count — an orphan is reaped by the system's init, which in some
    /// containers never happens.
    var groupAlive: Bool {
        guard kill(-pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return processes.contains { entry in
                guard Int32(entry) != nil, let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                    let end = stat.lastIndex(of: ")")
                else { return false }
                // After "pid (name) ": state, parent, group.
                let fields = stat[stat.index(after: end)...].split(separator: " ")
                return fields.count > 2 && fields[2] == "\(pid)" && fields[0] != "Z" && fields[0] != "X"
            }
        #else
            return true
        #endif
    }

    /// False once every process holding its output has closed it, and every line was passed on.
    var outputIsOpen: Bool { outputOpen.load(ordering: .acquiring) }

    private static func highestOpenDescriptor() -> Int32 {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return entries.compactMap { Int32($0) }.max() ?? min(getdtablesize(), 4096)
    }

    /// Calls `body` with each line read from `descriptor` until it closes; a last line without a
    /// newline is passed on too.
    private func readLines(from descriptor: Int32, _ body: @escaping @Sendable (String) -> Void) {
        Thread.detachNewThread {
            var pending = Data()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(descriptor, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: buffer[0..<count])
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    body(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { body(String(decoding: pending, as: UTF8.self)) }
            close(descriptor)
            self.outputOpen.store(false, ordering: .releasing)
        }
    }
}

/// How a process ended.
public enum ExitStatus: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signalled(Int32)

    /// Reads after "your program": "exited with status 1", "was stopped by signal 15 (SIGTERM)".
    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "was stopped by signal \(signal)" + (Self.signalNames[signal].map { " (\($0))" } ?? "")
        }
    }

    private static let signalNames: [Int32: String] = [
        SIGINT: "SIGINT", SIGKILL: "SIGKILL", SIGTERM: "SIGTERM", SIGSEGV: "SIGSEGV", SIGABRT: "SIGABRT",
    ]
}

/// `/bin/sh` could not be started at all.
struct SpawnFailure: Error {
    let reason: String
}
