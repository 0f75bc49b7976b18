import Foundation
import LabRunner
import Synchronization
import Testing

/// The learner's program as `--run` handles it, driven directly: start, wait for the port, pass
/// on its output, restart, and stop everything it started — also when it will not listen or
/// ignores SIGTERM.
@Suite("The learner's program", .serialized)
struct LearnerProgramTests {
    /// Lines the program printed, in order.
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func add(_ event: LearnerProgram.Event) {
            if case .output(let line) = event { lines.withLock { $0.append(line) } }
        }
        var all: [String] { lines.withLock { $0 } }
        var pids: [pid_t] { all.compactMap { $0.firstMatch(of: /pid (\d+)$/).flatMap { pid_t($0.1) } } }
    }

    @Test("a program that ends before listening: its output from stdout and stderr in order, and its exit status in the error")
    func earlyExit() async throws {
        // setup
        let lines = Lines()
        let program = LearnerProgram(
            command: "echo to stdout; echo to stderr >&2; printf 'no newline'; exit 4", port: try LabCLI.freePort(), events: lines.add)
        // MUT
        let error = await #expect(throws: LearnerProgramError.self) { try await program.start() }
        // validate
        #expect(error == .exitedBeforeListening(.exited(4), port: program.port))
        #expect(lines.all == ["to stdout", "to stderr", "no newline"])
    }

    @Test("a program that never listens is stopped after the start timeout, with what it started in the background")
    func neverListens() async throws {
        // setup
        let lines = Lines()
        let program = LearnerProgram(
            command: "sleep 300 & echo \"pid $!\"; echo \"pid $$\"; wait", port: try LabCLI.freePort(),
            startTimeout: .seconds(1), events: lines.add)
        // MUT
        let error = await #expect(throws: LearnerProgramError.self) { try await program.start() }
        // validate
        #expect(error == .notListening(port: program.port, after: .seconds(1)))
        #expect(error?.description.contains("within 1 s, so it was stopped") == true)
        #expect(lines.pids.count == 2)
        #expect(lines.pids.allSatisfy { !LabCLI.isAlive($0) }, "left running: \(lines.pids)")
    }

    @Test("a program that ignores SIGTERM gets SIGKILL after the grace period")
    func ignoresSIGTERM() async throws {
        // setup
        let lines = Lines()
        let program = LearnerProgram(
            command: "trap '' TERM; echo \"pid $$\"; exec sleep 300", port: try LabCLI.freePort(),
            startTimeout: .seconds(1), stopGrace: .seconds(1), events: lines.add)
        let clock = ContinuousClock()
        let start = clock.now
        // MUT
        await #expect(throws: LearnerProgramError.self) { try await program.start() }
        let status = await program.stop()
        // validate
        #expect(start.duration(to: clock.now) >= .seconds(2))
        #expect(status == .signalled(SIGKILL))
        #expect(lines.pids.allSatisfy { !LabCLI.isAlive($0) })
    }

    @Test("the reference backend is started, restarted on its port, and stopped gracefully")
    func startRestartStop() async throws {
        // setup
        let port = try LabCLI.freePort()
        let lines = Lines()
        let program = LearnerProgram(command: LabCLI.referenceCommand(lab: "http-basics", port: port), port: port, events: lines.add)
        // MUT
        try await program.start()
        let listened = LabCLI.listens(on: port)
        let restarted = try await program.restart()
        let status = await program.stop()
        // validate
        #expect(listened)
        #expect(restarted.hasPrefix("your program exited with status 0 and was started again; it listened on 127.0.0.1:\(port) after "))
        #expect(status == .exited(0))
        #expect(lines.pids.count == 2)
        #expect(lines.pids.allSatisfy { !LabCLI.isAlive($0) })
        #expect(!LabCLI.listens(on: port))
    }
}
