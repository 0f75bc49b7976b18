import ArgumentParser
import Foundation
import LabRunner
import Synchronization

/// `--run "COMMAND" --port PORT [--start-timeout S]`: groundwork starts the learner's program
/// itself, so it can show the program's output among the steps, restart it when a stage asks,
/// and stop it afterwards.
struct LabProgramOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Start your server with this shell command, check it, and stop it afterwards (stages that restart your server need this).",
            valueName: "COMMAND"))
    var run: String?

    @Option(help: ArgumentHelp("With --run: the port your program listens on at 127.0.0.1 (it also gets it as $PORT).", valueName: "PORT"))
    var port: Int?

    @Option(
        name: .customLong("start-timeout"), help: ArgumentHelp("With --run: how long your program may take to start listening.", valueName: "SECONDS")
    )
    var startTimeout = 30

    /// The port `--run` serves at, or `nil` without `--run`; refuses options that do not fit together.
    func validatedPort() throws -> Int? {
        guard let run else {
            if let port {
                throw UsageError("--port goes with --run \"COMMAND\"; for a server you started yourself, give --target http://127.0.0.1:\(port)")
            }
            return nil
        }
        guard !run.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("--run needs the command that starts your server, e.g. --run \"node server.js\" --port 3000")
        }
        guard let port else {
            throw UsageError("--run needs --port PORT: the port your program listens on, e.g. --run \"\(run)\" --port 3000")
        }
        guard (1...65535).contains(port) else { throw UsageError("--port \(port) is not a port number (1–65535)") }
        guard (1...600).contains(startTimeout) else { throw UsageError("--start-timeout \(startTimeout) must be from 1 to 600 seconds") }
        return port
    }

    /// The program `--run` names, its output and an unexpected exit passed to `say` as the text
    /// reporter marks them; `nil` without `--run`.
    func learnerProgram(reporter: TextReporter, say: @escaping @Sendable (String) -> Void) -> LearnerProgram? {
        guard let run, let port else { return nil }
        return LearnerProgram(command: run, port: port, startTimeout: .seconds(startTimeout)) { event in
            switch event {
            case .output(let line): say(reporter.programLine(line))
            case .exited(let status): say(reporter.programExited(status))
            }
        }
    }
}

/// Ctrl-C (SIGINT) or SIGTERM while groundwork runs the learner's program: stop the program
/// first, then exit as shells expect (130 or 143), so no server is left behind holding the port.
/// From the signal on, only this speaks and only this exits: the run in progress would otherwise
/// report the program it sees vanish as a failure.
enum LabInterrupts {
    private static let interrupted = Atomic<Bool>(false)

    /// Keep the returned sources until the program is stopped, then ``release(_:)`` them.
    static func stopOnInterrupt(_ program: LearnerProgram) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                guard !interrupted.exchange(true, ordering: .acquiringAndReleasing) else { return }
                let standardError = dup(STDERR_FILENO)
                let null = open("/dev/null", O_WRONLY)
                dup2(null, STDOUT_FILENO)
                dup2(null, STDERR_FILENO)
                let message = "\ngroundwork: interrupted; stopping your program\n"
                _ = message.withCString { write(standardError, $0, strlen($0)) }
                Task {
                    await program.stop()
                    exit(128 + number)
                }
            }
            source.resume()
            return source
        }
    }

    /// Ctrl-C ends groundwork again the usual way.
    static func release(_ sources: [any DispatchSourceSignal]) {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    /// Never returns once interrupted: the handler stops the program and exits.
    static func waitIfInterrupted() async {
        while interrupted.load(ordering: .acquiring) {
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
