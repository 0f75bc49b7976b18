import Foundation
import LabKit
import Testing

/// `groundwork check LAB --run "COMMAND" --port PORT` as a learner meets it: the real binary
/// starts the reference backend, shows its output, restarts it, stops it, and leaves nothing behind.
@Suite("groundwork check --run", .serialized)
struct CheckRunTests {
    @Test("data-integrity passes against the persisting reference backend, started, restarted and stopped; its output is marked")
    func passesWithRestart() async throws {
        // setup
        let port = try LabCLI.freePort()
        let data = LabCLI.temporaryFile("data.json")
        defer { try? FileManager.default.removeItem(atPath: data) }
        // MUT
        let child = try LabCLI(
            "groundwork",
            [
                "check", "data-integrity", "--run", LabCLI.referenceCommand(lab: "data-integrity", port: port, dataFile: data),
                "--port", String(port), "--seed", "3",
            ])
        let code = try await child.waitForExit(timeout: .seconds(120))
        // validate
        #expect(code == 0, "\(child.out)\n\(child.err)")
        let listening = "  app │ reference-backend: data-integrity listening on http://127.0.0.1:\(port), data in \(data)"
        #expect(child.out.components(separatedBy: listening).count - 1 == 2, "started, then started again:\n\(child.out)")
        #expect(child.out.contains("  ✓ your server is stopped and started again"))
        #expect(child.out.contains("      your program exited with status 0 and was started again; it listened on 127.0.0.1:\(port) after "))
        #expect(child.out.contains("  ✓ the account is still there, balance included"))
        #expect(child.out.contains("Stopped your program: it exited with status 0."))
        #expect(child.out.contains("PASSED data-integrity: 7/7 stages against http://127.0.0.1:\(port) (seed 3"))
        let pids = child.printedPIDs()
        #expect(pids.count == 2)
        #expect(pids.allSatisfy { !LabCLI.isAlive($0) }, "a program process is left: \(pids)")
        #expect(!LabCLI.listens(on: port))
    }

    @Test("the in-memory mutant fails at the restart stage; with --format json, stdout is the report and the program's output goes to stderr")
    func inMemoryMutantFails() async throws {
        // setup
        let port = try LabCLI.freePort()
        let data = LabCLI.temporaryFile("data.json")
        defer { try? FileManager.default.removeItem(atPath: data) }
        let command = LabCLI.referenceCommand(lab: "data-integrity", port: port, mutant: "accounts-in-memory", dataFile: data)
        // MUT
        let result = try await LabCLI.run(["check", "data-integrity", "--run", command, "--port", String(port), "--format", "json"])
        // validate
        #expect(result.code == 1, "\(result.err)")
        let verdict = try JSONDecoder().decode(LabVerdict.self, from: Data(result.out.utf8))
        #expect(verdict.firstFailedStage?.id == "restart")
        #expect(verdict.firstFailedStage?.steps.first { $0.outcome == .failed }?.failures.first == "status: expected 200, got 404")
        #expect(result.err.contains("  app │ reference-backend: data-integrity (mutant accounts-in-memory) listening on http://127.0.0.1:\(port)"))
        #expect(!LabCLI.listens(on: port))
    }

    @Test(
        "a program that ends before it listens is reported as such, with its output, and exit status 2",
        arguments: [
            ("echo starting up; echo 'cannot open database' >&2; exit 3", "your program exited with status 3 before listening on 127.0.0.1:PORT\n"),
            (
                "no-such-server-command-xyz",
                "your program exited with status 127 before listening on 127.0.0.1:PORT (status 127: the shell did not find the command"
            ),
        ])
    func earlyExit(command: String, message: String) async throws {
        // setup
        let port = try LabCLI.freePort()
        // MUT
        let result = try await LabCLI.run(["check", "http-basics", "--run", command, "--port", String(port)])
        // validate
        #expect(result.code == 2)
        #expect(result.err.contains("groundwork: " + message.replacingOccurrences(of: "PORT", with: String(port))), "\(result.err)")
        if command.hasPrefix("echo") {
            #expect(result.out.contains("  app │ starting up\n"))
            #expect(result.out.contains("  app │ cannot open database\n"))
        }
        #expect(!result.out.contains("Checking "))
    }

    @Test("without --run, the restart stage is skipped: the lab is not passed (exit 1), and the summary says why")
    func skippedWithoutRun() async throws {
        // setup
        let port = try LabCLI.freePort()
        // MUT
        let result = try await LabCLI.withReference("data-integrity", port: port) {
            try await LabCLI.run(["check", "data-integrity", "--target", "http://127.0.0.1:\(port)", "--seed", "4"])
        }
        // validate
        #expect(result.code == 1, "\(result.out)\n\(result.err)")
        #expect(
            result.out.contains(
                "Stage 7/7 · restart — Data survives a restart\n  SKIPPED this stage restarts your server: run with --run \"COMMAND\" --port PORT\n"))
        #expect(
            result.out.contains(
                "NOT PASSED data-integrity: 6 of 7 stages passed and none failed, but a lab passes only when every stage runs (seed 4, "))
        #expect(result.out.contains("Skipped stage 7 'restart': this stage restarts your server: run with --run \"COMMAND\" --port PORT"))
    }

    @Test("a port something else already listens on is refused before the program starts")
    func portInUse() async throws {
        // setup
        let port = try LabCLI.freePort()
        // MUT
        let result = try await LabCLI.withReference("http-basics", port: port) {
            try await LabCLI.run(["check", "http-basics", "--run", "echo should not start", "--port", String(port)])
        }
        // validate
        #expect(result.code == 2)
        #expect(
            result.err == "groundwork: something already listens on 127.0.0.1:\(port) before your program started: "
                + "stop it (a server left from an earlier run?) or choose another --port\n")
        #expect(!result.out.contains("  app │ should not start"))
    }

    @Test("Ctrl-C while the program runs stops it, with everything it started, and exits 130")
    func interrupted() async throws {
        // setup: a program that never listens, so groundwork is still waiting when interrupted
        let port = try LabCLI.freePort()
        let child = try LabCLI(
            "groundwork",
            [
                "check", "http-basics", "--run", "sleep 300 & echo \"pid $!\"; echo \"pid $$\"; wait",
                "--port", String(port), "--start-timeout", "120",
            ])
        try await child.waitForOutput("  app │ pid")
        try await Task.sleep(for: .milliseconds(300))
        let pids = child.printedPIDs()
        #expect(pids.count == 2)
        #expect(pids.allSatisfy(LabCLI.isAlive))
        // MUT
        child.process.interrupt()  // SIGINT, as Ctrl-C
        let code = try await child.waitForExit(timeout: .seconds(30))
        // validate
        #expect(code == 130)
        #expect(child.err.contains("groundwork: interrupted; stopping your program"))
        #expect(pids.allSatisfy { !LabCLI.isAlive($0) }, "left running: \(pids.filter(LabCLI.isAlive))")
    }

    @Test(
        "options that do not fit together are one clear line and exit status 2",
        arguments: [
            (
                ["--run", "node server.js"],
                "groundwork: --run needs --port PORT: the port your program listens on, e.g. --run \"node server.js\" --port 3000\n"
            ),
            (
                ["--port", "3000"],
                "groundwork: --port goes with --run \"COMMAND\"; for a server you started yourself, give --target http://127.0.0.1:3000\n"
            ),
            (
                ["--run", "x", "--port", "3000", "--target", "http://127.0.0.1:3000"],
                "groundwork: give --target or --run, not both: with --run your server is checked at http://127.0.0.1:3000\n"
            ),
            (
                [],
                "groundwork: say where your server is: --target http://127.0.0.1:PORT for a server you started, or --run \"COMMAND\" --port PORT to let groundwork start it\n"
            ),
            (
                ["--target", "http://127.0.0.1:3000", "--server", "http://127.0.0.1:8080"],
                "groundwork: --server goes with --upload (it says where to send the result)\n"
            ),
            (
                ["--target", "http://127.0.0.1:3000/latest/meta-data/#"],
                "groundwork: --target 'http://127.0.0.1:3000/latest/meta-data/#' has a path (/latest/meta-data/): a target is your server's origin only, http(s)://HOST:PORT, and each step adds its own path; give e.g. http://127.0.0.1:3000\n"
            ),
            (
                ["--target", "http://127.0.0.1:3000?x=1"],
                "groundwork: --target 'http://127.0.0.1:3000?x=1' has a query (?x=1): a target is your server's origin only, http(s)://HOST:PORT, and each step adds its own path; give e.g. http://127.0.0.1:3000\n"
            ),
            (
                ["--target", "http://me:pw@127.0.0.1:3000"],
                "groundwork: --target 'http://me:pw@127.0.0.1:3000' has a user name or password (before the @): a target is your server's origin only, http(s)://HOST:PORT, and each step adds its own path; give e.g. http://127.0.0.1:3000\n"
            ),
        ])
    func usageErrors(arguments: [String], message: String) async throws {
        // MUT
        let result = try await LabCLI.run(["check", "http-basics"] + arguments)
        // validate
        #expect(result.code == 2)
        #expect(result.err == message)
    }
}
