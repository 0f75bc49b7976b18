import Foundation
import TestSupport
import Testing

/// `groundwork serve` and friends as a learner meets them: the real binary, real signals.
@Suite("groundwork command line", .serialized)
struct ServeCommandTests {
    static func temporaryFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-\(UUID().uuidString)").path
    }

    @Test(
        "a bad option is one clear line on stderr and a non-zero exit",
        arguments: [
            (["serve", "--port", "eighty"], "--port 'eighty' is not a port number (1–65535)"),
            (["serve", "--port", "70000"], "--port '70000' is not a port number (1–65535)"),
            (["serve", "--mode", "solo"], "--mode 'solo' is not a mode: use personal or team"),
            (["serve", "--database", "mysql://x@y/z"], "is not a PostgreSQL URL"),
            (["serve", "--no-such-flag"], "Unknown option '--no-such-flag'"),
        ])
    func badOptions(arguments: [String], message: String) async throws {
        let result = try await GroundworkProcess.run(arguments + ["--data", Self.temporaryFolder()])
        #expect(result.code != 0)
        let lines = result.err.split(separator: "\n")
        #expect(lines.count == 1, "stderr was: \(result.err)")
        #expect(result.err.contains(message))
    }

    @Test("an unreachable PostgreSQL is one clear line, not a stack trace")
    func unreachableDatabase() async throws {
        let result = try await GroundworkProcess.run(["serve", "--database", "postgres://nobody@127.0.0.1:1/none"])
        #expect(result.code != 0)
        #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
        #expect(result.err.contains("cannot connect to PostgreSQL at 127.0.0.1:1"))
    }

    @Test("invalid content stops the server with every problem as path:line: message")
    func invalidContentRefusesToStart() async throws {
        // setup: a copy of the content with one broken topic
        let folder = Self.temporaryFolder()
        let content = folder + "/Content"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: GroundworkProcess.repositoryRoot.path + "/Content", toPath: content)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let broken = content + "/topics/basics/http.md"
        let text = try String(contentsOfFile: broken, encoding: .utf8).replacingOccurrences(of: "stage: basics", with: "stage: nowhere")
        try text.write(toFile: broken, atomically: true, encoding: .utf8)
        let stageLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("stage:") }! + 1
        // MUT
        let result = try await GroundworkProcess.run(["serve", "--content", content, "--data", folder + "/data"])
        // validate
        #expect(result.code != 0)
        #expect(result.err.hasPrefix("\(content)/topics/basics/http.md:\(stageLine): unknown stage 'nowhere'"), "stderr was: \(result.err)")
        #expect(result.err.contains("the server was not started"))
    }

    @Test(
        "serve starts from a folder holding only Content/ and Public/, as in the Docker image (seen_in paths are checked by `content check`, not at start)"
    )
    func startsWithoutTheSource() async throws {
        // setup: the runtime image's layout — no Sources/ beside Content/
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for entry in ["Content", "Public"] {
            try FileManager.default.copyItem(atPath: GroundworkProcess.repositoryRoot.path + "/" + entry, toPath: folder + "/" + entry)
        }
        let port = try GroundworkProcess.freePort()
        // MUT
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder + "/data"], directory: URL(fileURLWithPath: folder))
        // validate
        try await server.waitUntilServing("http://127.0.0.1:\(port)/health")
        #expect(try await GroundworkProcess.get("http://127.0.0.1:\(port)/topics/http").status == 200)
        server.process.terminate()
        #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("`content check` still refuses a seen_in path that is not in the checkout")
    func contentCheckRefusesMissingSeenIn() async throws {
        // setup: the content beside a copy of the source without one file a topic names
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: GroundworkProcess.repositoryRoot.path + "/Content", toPath: folder + "/Content")
        // MUT
        let result = try await GroundworkProcess.run(["content", "check", "--content", folder + "/Content"])
        // validate: every seen_in path is reported, since no Sources/ is there
        #expect(result.code != 0)
        #expect(result.out.contains("seen_in path 'Sources/"), "\(result.out)")
    }

    @Test("`content check` passes on the shipped content and reports the totals and the three quiz-bank figures")
    func contentCheck() async throws {
        let result = try await GroundworkProcess.run(["content", "check", "--allow-missing-labs"])
        #expect(result.code == 0, "\(result.out)")
        #expect(result.out.contains("Content OK: 6 stages"))
        #expect(result.out.contains("Single-choice questions whose right answer is the longest choice: "))
        #expect(result.out.contains("True/false questions whose answer is \"True\": "))
        #expect(result.out.contains("Multiple-answer questions by number of right choices: 1 right: "))
    }

    @Test("`content check` fails, saying what to change, when the quiz bank has no multiple-answer question with one right choice")
    func contentCheckRefusesUnbalancedBank() async throws {
        // setup: the shipped content, its one-right multiple-answer questions turned into single-choice ones
        let folder = Self.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.copyItem(atPath: GroundworkProcess.repositoryRoot.path + "/Content", toPath: folder + "/Content")
        // the rest of the checkout beside it, so every seen_in path is found
        for entry in try FileManager.default.contentsOfDirectory(atPath: GroundworkProcess.repositoryRoot.path) where entry != "Content" {
            try FileManager.default.createSymbolicLink(
                atPath: folder + "/" + entry, withDestinationPath: GroundworkProcess.repositoryRoot.path + "/" + entry)
        }
        var changed = 0
        for file in try FileManager.default.subpathsOfDirectory(atPath: folder + "/Content/topics") where file.hasSuffix(".md") {
            let path = folder + "/Content/topics/" + file
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let edited = text.replacing(/answer: \[(\d)\]/) { match in
                changed += 1
                return "answer: \(match.output.1)"
            }
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
        }
        #expect(changed > 0)
        // MUT
        let result = try await GroundworkProcess.run(["content", "check", "--content", folder + "/Content"])
        // validate: the figures are printed, the one rule broken is named with what to do, and nothing else is wrong
        #expect(result.code != 0)
        #expect(result.out.contains("Single-choice questions whose right answer is the longest choice: "), "\(result.out)")
        #expect(
            result.out.contains(
                "Quiz bank: no multiple-answer question has 1 right choice: there must be some with each of 1 to 4 (write `answer` as a list, `[2]`, for a multiple-answer question with one right choice)"
            ), "\(result.out)")
        #expect(result.out.contains("1 problem(s) found."), "\(result.out)")
    }

    @Test("serve creates its data folder, answers, and on SIGTERM exits 0; progress survives the restart")
    func serveStopAndRestart() async throws {
        let data = Self.temporaryFolder() + "/nested/data"
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"

        let first = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await first.waitUntilServing(base + "/health")
        #expect(FileManager.default.fileExists(atPath: data + "/groundwork.sqlite"))
        #expect(try await GroundworkProcess.put(base + "/api/v1/progress/http", json: #"{"state":"done"}"#) == 200)
        first.process.terminate()  // SIGTERM
        #expect(try await first.waitForExit(timeout: .seconds(20)) == 0)

        let second = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await second.waitUntilServing(base + "/health")
        let progress = try await GroundworkProcess.get(base + "/api/v1/progress")
        #expect(progress.body.contains(#"{"state":"done","topicId":"http"}"#))
        second.process.interrupt()  // SIGINT, as Ctrl-C
        #expect(try await second.waitForExit(timeout: .seconds(20)) == 0)
    }

    @Test("SIGTERM stops the server promptly while 200 clients hold half-sent requests, and exits 0")
    func shutdownWithStuckClients() async throws {
        let data = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try GroundworkProcess.freePort()
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await server.waitUntilServing("http://127.0.0.1:\(port)/health")
        // setup: the slow-client attack — connections that send part of a request head and wait
        let stuck = try (0..<200).map { _ in try RawConnection(port: port) }
        for connection in stuck { connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: ") }
        try await Task.sleep(for: .milliseconds(300))
        #expect(try await GroundworkProcess.get("http://127.0.0.1:\(port)/health").status == 200)
        // MUT
        let signalled = ContinuousClock.now
        server.process.terminate()
        // validate: it stops, at the latest when the stuck heads reach their 10-second deadline
        #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
        #expect(ContinuousClock.now - signalled < .seconds(15))
        withExtendedLifetime(stuck) {}
    }

    @Test("serve on PostgreSQL keeps progress across a restart")
    func serveOnPostgres() async throws {
        try await TestDatabase.with(.postgres) { database in
            let port = try GroundworkProcess.freePort()
            let base = "http://127.0.0.1:\(port)"
            let arguments = ["serve", "--port", "\(port)", "--database", database.postgresConnectionURL!]
            let first = try GroundworkProcess(arguments)
            try await first.waitUntilServing(base + "/ready")
            #expect(try await GroundworkProcess.put(base + "/api/v1/progress/sql", json: #"{"state":"learning"}"#) == 200)
            first.process.terminate()
            #expect(try await first.waitForExit(timeout: .seconds(20)) == 0)

            let second = try GroundworkProcess(arguments)
            try await second.waitUntilServing(base + "/ready")
            #expect(try await GroundworkProcess.get(base + "/api/v1/progress").body.contains(#"{"state":"learning","topicId":"sql"}"#))
            second.process.terminate()
            #expect(try await second.waitForExit(timeout: .seconds(20)) == 0)
        }
    }

    @Test("on PostgreSQL without --data, nothing is written in the working folder (the SQL practice dataset goes to a private temporary folder)")
    func postgresWritesNoDataFolder() async throws {
        try await TestDatabase.with(.postgres) { database in
            // setup: an empty working folder
            let folder = Self.temporaryFolder()
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let port = try GroundworkProcess.freePort()
            let root = GroundworkProcess.repositoryRoot.path
            // MUT: serve, and practise SQL (which builds the dataset)
            let server = try GroundworkProcess(
                [
                    "serve", "--mode", "team", "--port", "\(port)", "--database", database.postgresConnectionURL!,
                    "--content", root + "/Content", "--public-directory", root + "/Public",
                ],
                directory: URL(fileURLWithPath: folder))
            try await server.waitUntilServing("http://127.0.0.1:\(port)/ready")
            #expect(try await GroundworkProcess.get("http://127.0.0.1:\(port)/sql").status == 200)
            // validate
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [])
            server.process.terminate()
            #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
        }
    }

    @Test("a request naming a foreign Host is refused with 421 (DNS rebinding); localhost works")
    func hostCheck() async throws {
        let data = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try GroundworkProcess.freePort()
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await server.waitUntilServing("http://127.0.0.1:\(port)/health")
        let foreign = try await GroundworkProcess.get("http://127.0.0.1:\(port)/api/v1/roadmap", headers: [("Host", "evil.example:\(port)")])
        #expect(foreign.status == 421)
        #expect(foreign.body.contains("does not answer to the host"))
        let local = try await GroundworkProcess.get("http://127.0.0.1:\(port)/", headers: [("Host", "localhost:\(port)")])
        #expect(local.status == 200)
        server.process.terminate()
        _ = try await server.waitForExit(timeout: .seconds(20))
    }

    @Test("user create reads the password from stdin and refuses a duplicate")
    func userCreate() async throws {
        let data = Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let created = try await GroundworkProcess.run(
            ["user", "create", "--admin", "Admin@Example.org", "--data", data], stdin: "a long enough password\n")
        #expect(created.code == 0, "\(created.err)")
        #expect(created.out.contains("Created administrator admin@example.org."))
        let again = try await GroundworkProcess.run(["user", "create", "admin@example.org", "--data", data], stdin: "a long enough password\n")
        #expect(again.code != 0)
        #expect(again.err.contains("already exists"))
        let weak = try await GroundworkProcess.run(["user", "create", "weak@example.org", "--data", data], stdin: "short\n")
        #expect(weak.err.contains("at least 10 characters"))
    }
}
