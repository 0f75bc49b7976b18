import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The learner's server when `groundwork check --run "COMMAND" --port PORT` runs it: started with
/// `/bin/sh -c`, ready once it accepts connections on 127.0.0.1:PORT, stopped with SIGTERM to its
/// whole process group and SIGKILL after a grace period, and restarted for the `restart` probe.
/// Its own output is passed on line by line, so it can be shown among the steps.
///
/// The exit status is polled (`waitpid` with `WNOHANG`), never waited for: a blocking wait can
/// hang a Swift concurrency thread for good on Linux.
public actor LearnerProgram {
    /// What the program does that the person watching should see.
    public enum Event: Sendable {
        /// A line it printed, to stdout or stderr.
        case output(String)
        /// It ended by itself after it had been listening: the checks after this find nothing there.
        case exited(ExitStatus)
    }

    public nonisolated let command: String
    public nonisolated let port: Int
    /// How long it may take from start to listening.
    public nonisolated let startTimeout: Duration
    /// How long it has to end after SIGTERM before it gets SIGKILL.
    public nonisolated let stopGrace: Duration
    private nonisolated let events: @Sendable (Event) -> Void

    private var child: ChildProcess?
    /// How the shell ended, once it has.
    private var status: ExitStatus?
    private var listening = false
    private var stopping = false

    public init(
        command: String, port: Int, startTimeout: Duration = .seconds(30), stopGrace: Duration = .seconds(5),
        events: @escaping @Sendable (Event) -> Void
    ) {
        self.command = command
        self.port = port
        self.startTimeout = startTimeout
        self.stopGrace = stopGrace
        self.events = events
    }

    /// Starts the program (with `PORT` set in its environment) and waits until it listens on
    /// 127.0.0.1:PORT; returns how long that took. Throws ``LearnerProgramError``, after stopping
    /// whatever was started.
    @discardableResult
    public func start() async throws -> Duration {
        if child != nil { await stop() }
        guard !LoopbackPort.accepts(port) else { throw LearnerProgramError.portInUse(port: port) }
        var environment = ProcessInfo.processInfo.environment
        environment["PORT"] = String(port)
        let events = self.events
        let child: ChildProcess
        do {
            child = try ChildProcess(command: command, environment: environment) { events(.output($0)) }
        } catch {
            throw LearnerProgramError.couldNotStart(reason: error.reason)
        }
        self.child = child
        status = nil
        listening = false
        stopping = false
        Task { await self.watch(child) }

        let clock = ContinuousClock()
        let started = clock.now
        while true {
            if let status {
                await stop()
                throw LearnerProgramError.exitedBeforeListening(status, port: port)
            }
            if LoopbackPort.accepts(port) {
                listening = true
                return started.duration(to: clock.now)
            }
            if started.duration(to: clock.now) > startTimeout {
                await stop()
                throw LearnerProgramError.notListening(port: port, after: startTimeout)
            }
            await pause()
        }
    }

    /// Stops the program: SIGTERM to its process group, SIGKILL to what is left after the grace
    /// period; returns once its last line of output was passed on. Returns how the shell ended
    /// (`nil` if it was never started).
    @discardableResult
    public func stop() async -> ExitStatus? {
        guard let child else { return status }
        stopping = true
        child.signalGroup(SIGTERM)
        if await !ended(child, within: stopGrace) {
            child.signalGroup(SIGKILL)
            _ = await ended(child, within: .seconds(5))
        }
        let drained = ContinuousClock.now + .seconds(1)
        while child.outputIsOpen, ContinuousClock.now < drained { await pause() }
        if self.child === child { self.child = nil }
        return status
    }

    /// Sends SIGTERM to the program's process group, as a container platform does, and waits up
    /// to `limit` for everything it started to end; what is left then gets SIGKILL. For the
    /// graceful-shutdown check: unlike ``stop()``, the limit is the check's, not a grace period.
    public func terminate(within limit: Duration) async -> ProgramTermination {
        guard let child else { return ProgramTermination(exitedInTime: true, status: status, elapsed: .zero) }
        stopping = true
        let clock = ContinuousClock()
        let start = clock.now
        child.signalGroup(SIGTERM)
        let inTime = await ended(child, within: limit)
        let elapsed = start.duration(to: clock.now)
        if !inTime {
            child.signalGroup(SIGKILL)
            _ = await ended(child, within: .seconds(5))
        }
        let drained = ContinuousClock.now + .seconds(1)
        while child.outputIsOpen, ContinuousClock.now < drained { await pause() }
        if self.child === child { self.child = nil }
        return ProgramTermination(exitedInTime: inTime, status: status, elapsed: elapsed)
    }

    /// Stops the program and starts it again, for the `restart` probe; says how it went.
    public func restart() async throws -> String {
        let stopped = await stop()
        let took = try await start()
        return
            "your program \(stopped?.description ?? "stopped") and was started again; it listened on 127.0.0.1:\(port) after \(took.milliseconds) ms"
    }

    /// Reaps the shell when it ends; tells the watcher when that was not asked for.
    private func watch(_ child: ChildProcess) async {
        while self.child === child {
            if let status = child.poll() {
                self.status = status
                if listening && !stopping { events(.exited(status)) }
                return
            }
            await pause()
        }
    }

    /// Waits until the shell is reaped and nothing of its group is left, or `limit` has passed.
    private func ended(_ child: ChildProcess, within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while status == nil || child.groupAlive {
            if ContinuousClock.now >= deadline { return false }
            await pause()
        }
        return true
    }

    /// A short wait that a cancelled task cannot cut short: stopping the program must finish.
    private func pause() async {
        await Task.detached { try? await Task.sleep(for: .milliseconds(50)) }.value
    }
}

/// Why the learner's program could not be run; each says what to do about it.
public enum LearnerProgramError: Error, Equatable, CustomStringConvertible {
    case portInUse(port: Int)
    case couldNotStart(reason: String)
    case exitedBeforeListening(ExitStatus, port: Int)
    case notListening(port: Int, after: Duration)

    public var description: String {
        switch self {
        case .portInUse(let port):
            return
                "something already listens on 127.0.0.1:\(port) before your program started: stop it (a server left from an earlier run?) or choose another --port"
        case .couldNotStart(let reason):
            return "could not start /bin/sh to run your program: \(reason)"
        case .exitedBeforeListening(let status, let port):
            let why: String =
                switch status {
                case .exited(0): " (status 0: does the command start the server in the background? --run needs it in the foreground)"
                case .exited(127): " (status 127: the shell did not find the command — check its spelling, its path and PATH)"
                case .exited(126): " (status 126: the command is not executable — check its permissions)"
                default: ""
                }
            return "your program \(status) before listening on 127.0.0.1:\(port)\(why)"
        case .notListening(let port, let limit):
            return "your program did not listen on 127.0.0.1:\(port) within \(limit.components.seconds) s, so it was stopped: "
                + "does it use port \(port) and bind 127.0.0.1 or 0.0.0.0 ('localhost' may mean ::1 only)? A slow start needs a longer --start-timeout"
        }
    }
}
