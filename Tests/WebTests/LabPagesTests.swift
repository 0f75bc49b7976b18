import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabKit
import Learning
import Storage
import TestSupport
import Testing
import Web

@testable import ReferenceBackend

/// The lab pages: every lab renders; a run started in the browser against the reference backend
/// (on 127.0.0.1) passes, is stored and verifies its topics; a mutant fails with the curl line;
/// the event stream delivers the steps live; team mode refuses to call its own machine.
@Suite("Lab pages")
struct LabPagesTests {
    static let labsDirectory = TestApp.repositoryRoot.appendingPathComponent("Content/labs")
    static let labIDs = LabLoader(directory: labsDirectory).labIDs()

    static func app(
        _ mode: AppConfiguration.Mode = .personal, on kind: DatabaseKind = .sqlite,
        _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        try await TestApp.test(mode, on: kind, configure: { $0.labsDirectory = labsDirectory.path }, body)
    }

    /// Opens the lab page (for the form's CSRF cookie) and submits its Run form, as a browser does
    /// without JavaScript, or as the page's script does when `accept` is JSON.
    static func submitRun(
        _ client: any TestClientProtocol, lab: String, target: String, extra: [(String, String)] = [],
        jar: CookieJar = CookieJar(), accept: String? = nil
    ) async throws -> TestResponse {
        var jar = jar
        jar.take(try await client.execute(uri: "/labs/\(lab)", method: .get, headers: [.cookie: jar.header]))
        var headers = formHeaders.with(.cookie, jar.header)
        if let accept { headers[.accept] = accept }
        return try await client.execute(
            uri: "/labs/\(lab)/runs", method: .post, headers: headers,
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("target", target)] + extra))
    }

    static func learnerRuns(_ database: Database, learnerID: String = "personal") async throws -> [LabRun] {
        try await SQLLabRunRepository(database: database).history(learnerID: learnerID, labID: nil, limit: 100)
    }

    /// Text as the templates write it.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }

    @Test("the labs page lists the lab with its topics; its page shows the brief, every stage and the run form", arguments: labIDs)
    func everyLabRenders(labID: String) async throws {
        let lab = try LabLoader(directory: Self.labsDirectory).load(id: labID)
        try await Self.app { client, _ in
            // MUT
            let list = try await client.execute(uri: "/labs", method: .get)
            let page = try await client.execute(uri: "/labs/\(labID)", method: .get)
            // validate
            #expect(list.status == .ok)
            #expect(list.text.contains("<a href=\"/labs/\(labID)\">\(Self.escaped(lab.title))</a>"))
            #expect(list.text.contains("Not run yet"))
            for topic in lab.topics { #expect(list.text.contains("href=\"/topics/\(topic)\"")) }
            #expect(page.status == .ok)
            if lab.subject == .http {
                #expect(page.text.contains("<h2 id=\"run-title\">Check your server</h2>"))
                #expect(page.text.contains("value=\"http://127.0.0.1:3000\""))
                #expect(page.text.contains("<button type=\"submit\">Run</button>"))
            } else {
                #expect(page.text.contains("<h2 id=\"run-title\">Check it from a terminal</h2>"))
                #expect(page.text.contains("<code>groundwork check \(labID) \(Self.escaped(lab.subject.commandOptions))"))
                #expect(!page.text.contains("<button type=\"submit\">Run</button>"))
            }
            #expect(page.text.contains("<script src=\"/js/lab-run.js\" defer></script>"))
            #expect(page.text.contains("<h2>Stage 1"), "the brief is rendered from Markdown")
            #expect(!page.text.contains("<h1>\(Self.escaped(lab.title))</h1>"), "the brief's own title is left out: the page has it")
            for stage in lab.stages {
                #expect(page.text.contains(Self.escaped(stage.title)))
                for step in stage.steps { #expect(page.text.contains(Self.escaped(step.summary)), "\(step.summary)") }
            }
        }
    }

    @Test("an unknown lab is a 404 that names the labs there are")
    func unknownLab() async throws {
        try await Self.app { client, _ in
            // MUT
            let page = try await client.execute(uri: "/labs/nope", method: .get)
            // validate
            #expect(page.status == .notFound)
            #expect(page.text.contains("There is no lab &#39;nope&#39;. The labs are: \(Self.labIDs.joined(separator: ", "))"))
        }
    }

    @Test("a lab that checks files on the learner's machine cannot be run by the server: the form post is refused with the command")
    func localLabRefused() async throws {
        try await Self.app { client, database in
            // MUT
            let response = try await Self.submitRun(client, lab: "git-workflow", target: "http://127.0.0.1:3000")
            // validate
            #expect(response.status == .unprocessableContent)
            #expect(
                response.text.contains(
                    "role=\"alert\">This lab checks files on your machine, which this server cannot read: run <code>groundwork check git-workflow --repo PATH</code>"
                ))
            #expect(try await Self.learnerRuns(database).isEmpty)
        }
    }

    @Test(
        "a run from the page (no JavaScript) against the reference backend passes, is stored, and verifies the lab's topics",
        arguments: DatabaseKind.allCases)
    func runPasses(kind: DatabaseKind) async throws {
        try await Self.app(on: kind) { client, database in
            try await LocalTarget.reference(.httpBasics) { target in
                // setup
                let before = try await client.execute(uri: "/", method: .get)
                #expect(!before.text.contains("badge verified"))
                // MUT
                let response = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString)
                // validate
                #expect(response.status == .seeOther)
                let runs = try await Self.learnerRuns(database)
                let run = try #require(runs.first)
                #expect(runs.count == 1)
                #expect(run.passed && run.source == .web && run.labID == "http-basics" && run.stagesPassed == run.stageCount)
                #expect(response.headers[.location] == "/labs/http-basics/runs/\(run.id)")

                let result = try await client.execute(uri: "/labs/http-basics/runs/\(run.id)", method: .get)
                #expect(result.status == .ok)
                #expect(result.text.contains("<h1 id=\"run-title\">Passed</h1>"))
                #expect(result.text.contains("<code>\(target.absoluteString)</code>"))

                let roadmap = try await client.execute(uri: "/", method: .get)
                #expect(roadmap.text.contains("<a href=\"/topics/http\">HTTP</a>"))
                let httpCard = try #require(roadmap.text.components(separatedBy: "<a href=\"/topics/http\">").dropFirst().first)
                #expect(httpCard.prefix(400).contains("badge verified"))
                let topic = try await client.execute(uri: "/topics/http", method: .get)
                #expect(topic.text.contains("Labs <span class=\"badge verified\">verified</span>"))
                #expect(topic.text.contains("<a href=\"/labs/http-basics\">HTTP basics</a> <span class=\"badge result-passed\">Passed</span>"))
                let lab = try await client.execute(uri: "/labs/http-basics", method: .get)
                #expect(lab.text.contains("<a href=\"/labs/http-basics/runs/\(run.id)\">"))
                #expect(lab.text.contains("run from this page"))
            }
        }
    }

    @Test("a run against a mutant fails at the mutant's stage and shows request, response, expectation, hint and the curl line, escaped")
    func mutantFails() async throws {
        try await Self.app { client, database in
            try await LocalTarget.reference(.httpBasics, mutant: HTTPBasicsMutant.ignoresAccept.rawValue) { target in
                // MUT
                let response = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString)
                // validate
                let run = try #require(try await Self.learnerRuns(database).first)
                #expect(!run.passed)
                #expect(run.stagesPassed == 1)
                let page = try await client.execute(uri: try #require(response.headers[.location]), method: .get)
                #expect(page.text.contains("Failed at stage 2: Plain text and JSON"))
                let stored = try #require(try await SQLLabRunRepository(database: database).find(id: run.id, learnerID: "personal"))
                let verdict = try JSONDecoder().decode(LabVerdict.self, from: Data(stored.report.utf8))
                let step = try #require(verdict.stages.flatMap(\.steps).first { $0.outcome == .failed })
                let curl = try #require(step.exchange?.curl)
                #expect(curl.contains("'"), "curl quotes its arguments")
                #expect(page.text.contains("<pre class=\"curl\"><code>\(Self.escaped(curl))</code></pre>"))
                #expect(!page.text.contains(curl))
                #expect(page.text.contains("<h3>Request</h3>"))
                #expect(page.text.contains("<h3>Response"))
                #expect(page.text.contains("<h3>Expected</h3>"))
                #expect(page.text.contains(Self.escaped(verdict.stages[1].hint)))
                for failure in step.failures { #expect(page.text.contains(Self.escaped(failure))) }
                let roadmap = try await client.execute(uri: "/", method: .get)
                #expect(!roadmap.text.contains("badge verified"))
            }
        }
    }

    @Test("a run against a port where nothing listens is stored, and its page says that nothing answered and what to check")
    func nothingListening() async throws {
        try await Self.app { client, database in
            // MUT: port 1 on loopback, where nothing listens
            let response = try await Self.submitRun(client, lab: "http-basics", target: "http://127.0.0.1:1")
            // validate
            let run = try #require(try await Self.learnerRuns(database).first)
            #expect(!run.passed && run.stagesPassed == 0)
            let page = try await client.execute(uri: try #require(response.headers[.location]), method: .get)
            #expect(page.text.contains("<h1 id=\"run-title\">Nothing answered at http://127.0.0.1:1</h1>"))
            #expect(page.text.contains("is your server running"))
            #expect(!page.text.contains("<h3>Hint</h3>"), "the stage's hint is about code; here the server is not there at all")
        }
    }

    @Test("with JavaScript the run starts at once (202), and its event stream sends each stage and step, then done")
    func streamDeliversEvents() async throws {
        try await Self.app { client, database in
            try await LocalTarget.reference(.httpBasics) { target in
                // MUT
                let started = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, accept: "application/json")
                let body = try started.json()
                let events = try #require(body["events"] as? String)
                let stream = try await client.execute(uri: events, method: .get)
                // validate
                #expect(started.status == .accepted)
                #expect(started.headers[.location] == body["result"] as? String)
                #expect(stream.status == .ok)
                #expect(stream.headers[.contentType] == "text/event-stream; charset=utf-8")
                let parsed = ServerSentEvents.parse(stream.text)
                #expect(parsed.map(\.id) == Array(1...parsed.count))
                #expect(parsed.first?.name == "stage")
                #expect(parsed.last?.name == "done")
                let lab = try LabLoader(directory: Self.labsDirectory).load(id: "http-basics")
                #expect(parsed.filter { $0.name == "step" }.count == lab.stages.flatMap(\.steps).count)
                #expect(parsed.filter { $0.name == "stage" }.count == lab.stages.count)
                #expect(parsed.filter { $0.name == "stage-done" }.count == lab.stages.count)
                let firstStep = try #require(parsed.first { $0.name == "step" }?.json["step"] as? [String: Any])
                #expect(firstStep["name"] as? String == lab.stages[0].steps[0].name)
                #expect(firstStep["outcome"] as? String == "passed")
                let done = try #require(parsed.last?.json)
                #expect(done["passed"] as? Bool == true)
                #expect(done["result"] as? String == body["result"] as? String)
                #expect(try await Self.learnerRuns(database).map(\.id) == [body["id"] as? String])

                // A browser that reconnects gets only what it missed; after the end, 204 stops it.
                let resumed = try await client.execute(uri: events, method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "2"])
                #expect(ServerSentEvents.parse(resumed.text).map(\.id) == Array(3...parsed.count))
                let finished = try await client.execute(uri: events, method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "\(parsed.count)"])
                #expect(finished.status == .noContent)
            }
        }
    }

    @Test("a run in progress: its page says so, and a stream opened before it ends gets the events as they happen")
    func followRunInProgress() async throws {
        try await Self.app { client, database in
            try await LocalTarget.counting(held: true) { target, counter in
                // setup: the target holds its first answer back
                let started = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, accept: "application/json")
                let body = try started.json()
                let result = try #require(body["result"] as? String)
                let events = try #require(body["events"] as? String)
                // MUT
                let running = try await client.execute(uri: result, method: .get)
                let again = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, accept: "application/json")
                async let stream = client.execute(uri: events, method: .get)
                try await Task.sleep(for: .milliseconds(200))
                counter.release()
                let parsed = ServerSentEvents.parse(try await stream.text)
                // validate
                #expect(running.text.contains("data-follow=\"\(events)\""))
                #expect(running.text.contains("This run is still going."))
                #expect(again.status == .conflict)
                #expect(parsed.map(\.name) == ["stage", "step", "stage-done", "done"], "the target answers plain text, so stage 1 fails")
                #expect(parsed.last?.json["passed"] as? Bool == false)
                #expect(counter.value == 1)
                #expect(try await Self.learnerRuns(database).count == 1)
                let stored = try await client.execute(uri: result, method: .get)
                #expect(stored.text.contains("Failed at stage 1: A health endpoint"))
            }
        }
    }

    @Test("team mode: a learner who tries to start too many runs is told to wait (429), refused attempts included")
    func teamModeRateLimit() async throws {
        try await Self.app(.team) { client, _ in
            // setup
            let (_, jar) = try await TeamModeTests.signUp(client)
            for _ in 0..<30 {
                let refused = try await Self.submitRun(
                    client, lab: "http-basics", target: "http://127.0.0.1:3000", jar: jar, accept: "application/json")
                #expect(refused.status == .forbidden)
            }
            // MUT
            let limited = try await Self.submitRun(client, lab: "http-basics", target: "http://127.0.0.1:3000", jar: jar, accept: "application/json")
            // validate
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0 > 0)
            #expect((try limited.json()["detail"] as? String)?.contains("You have tried to start 30 runs in the last 10 minutes") == true)
        }
    }

    @Test("team mode refuses a run against 127.0.0.1 before sending anything, points to groundwork check --upload, and stores nothing")
    func teamModeRefusesLoopback() async throws {
        try await Self.app(.team) { client, database in
            try await LocalTarget.counting { target, counter in
                // setup
                let (_, jar) = try await TeamModeTests.signUp(client)
                let learner = try #require(try await SQLUserRepository(database: database).find(email: "ada@example.org"))
                // MUT
                let page = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, jar: jar)
                let json = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, jar: jar, accept: "application/json")
                // validate
                let command = "groundwork check http-basics --target \(target.absoluteString) --upload"
                #expect(page.status == .forbidden)
                #expect(page.text.contains("127.0.0.1 is a loopback address"))
                #expect(page.text.contains(command))
                #expect(json.status == .forbidden)
                #expect(json.headers[.contentType] == "application/problem+json")
                #expect((try json.json()["detail"] as? String)?.contains(command) == true)
                #expect(counter.value == 0)
                #expect(try await Self.learnerRuns(database, learnerID: learner.id).isEmpty)
            }
        }
    }

    @Test(
        "the guard's decision on a target, made before any connection",
        arguments: [
            (AppConfiguration.Mode.team, "http://localhost:3000", "loopback"),
            (.team, "http://[::1]:3000", "loopback"),
            (.team, "http://10.1.2.3/", "private"),
            (.team, "http://192.168.0.10:8080", "private"),
            (.team, "http://169.254.10.1", "link-local"),
            (.team, "http://169.254.169.254", "cloud metadata endpoint"),
            (.personal, "http://169.254.169.254/", "cloud metadata endpoint"),
            (.personal, "http://0.0.0.0:3000", "unspecified"),
        ])
    func guardRefuses(mode: AppConfiguration.Mode, target: String, reason: String) async throws {
        try await Self.app(mode) { client, database in
            // setup
            var jar = CookieJar()
            if mode == .team { jar = try await TeamModeTests.signUp(client).1 }
            // MUT
            let response = try await Self.submitRun(client, lab: "http-basics", target: target, jar: jar, accept: "application/json")
            // validate
            #expect(response.status == .forbidden)
            let detail = try #require(try response.json()["detail"] as? String)
            #expect(detail.hasPrefix("Nothing was sent: "))
            #expect(detail.contains(reason))
            let count = try await database.withSQL {
                try await $0.raw("SELECT COUNT(*) AS n FROM lab_runs").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test(
        "a target that is not an http URL, or a stage the lab lacks, is refused on the page with what to fix",
        arguments: [
            ("ftp://127.0.0.1/", "", "is not an http:// or https:// URL"),
            ("127.0.0.1:3000", "", "is not an http:// or https:// URL"),
            ("http://127.0.0.1:3000/latest/meta-data/#", "", "has a path (/latest/meta-data/): a target is your server"),
            ("http://127.0.0.1:3000#x", "", "has a fragment (#x)"),
            ("http://me@127.0.0.1:3000", "", "has a user name or password (before the @)"),
            ("http://127.0.0.1:3000", "99", "Choose the stages to check"),
        ])
    func badForm(target: String, stage: String, message: String) async throws {
        try await Self.app { client, database in
            // MUT
            let response = try await Self.submitRun(client, lab: "http-basics", target: target, extra: [("stage", stage)])
            // validate
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("<p class=\"alert\" role=\"alert\">"))
            #expect(response.text.contains(message))
            #expect(try await Self.learnerRuns(database).isEmpty)
        }
    }

    @Test("a stage that restarts the learner's server is skipped on the page, which says how to pass the lab from the CLI")
    func restartStageNeedsTheCLI() async throws {
        let lab = try LabLoader(directory: Self.labsDirectory).load(id: "data-integrity")
        let restart = try #require(lab.stages.firstIndex { $0.restartsTarget }) + 1
        try await Self.app { client, database in
            try await LocalTarget.reference(.dataIntegrity) { target in
                // MUT
                let response = try await Self.submitRun(client, lab: "data-integrity", target: target.absoluteString)
                // validate
                let run = try #require(try await Self.learnerRuns(database).first)
                #expect(!run.passed)
                #expect(run.stagesPassed == lab.stages.count - 1)
                let command = "groundwork check data-integrity --run &quot;COMMAND&quot; --port 3000 --upload"
                let page = try await client.execute(uri: try #require(response.headers[.location]), method: .get)
                #expect(page.text.contains("Not passed: stage \(restart) was not run"))
                #expect(page.text.contains(command))
                let labPage = try await client.execute(uri: "/labs/data-integrity", method: .get)
                #expect(labPage.text.contains("Stage \(restart) stops your server and starts it again"))
                #expect(labPage.text.contains(command))
            }
        }
    }

    @Test("a run of the first stages only is stored but does not pass the lab")
    func partialRunDoesNotPass() async throws {
        try await Self.app { client, database in
            try await LocalTarget.reference(.httpBasics) { target in
                // MUT
                let response = try await Self.submitRun(client, lab: "http-basics", target: target.absoluteString, extra: [("stage", "2")])
                // validate
                let run = try #require(try await Self.learnerRuns(database).first)
                #expect(!run.passed)
                #expect(run.stagesPassed == 2)
                let page = try await client.execute(uri: try #require(response.headers[.location]), method: .get)
                #expect(page.text.contains("Stages 1–2 passed"))
                #expect(page.text.contains("--stage 2"))
                #expect(page.text.contains("name=\"stage\" value=\"2\""))
            }
        }
    }

    @Test("signed-out visitors in team mode see the labs but are sent to sign in to run one or see a run")
    func signedOutTeamVisitor() async throws {
        try await Self.app(.team) { client, _ in
            // MUT
            let page = try await client.execute(uri: "/labs/http-basics", method: .get)
            let run = try await Self.submitRun(client, lab: "http-basics", target: "http://127.0.0.1:3000")
            let events = try await client.execute(uri: "/labs/http-basics/runs/x/events", method: .get)
            // validate
            #expect(page.status == .ok)
            #expect(page.text.contains("<a href=\"/signin?next=/labs/http-basics\">Sign in</a> to run this lab."))
            #expect(!page.text.contains("<button type=\"submit\">Run</button>"))
            #expect(run.status == .seeOther)
            #expect(run.headers[.location] == "/signin?next=/labs/http-basics")
            #expect(events.status == .unauthorized)
        }
    }

    @Test("another learner's run is not found, and neither is an unknown one")
    func runsArePrivate() async throws {
        try await Self.app(.team) { client, database in
            // setup: Ada's run, stored directly
            let (_, ada) = try await TeamModeTests.signUp(client)
            let adaUser = try #require(try await SQLUserRepository(database: database).find(email: "ada@example.org"))
            let run = LabRun(
                id: LabRun.makeID(), learnerID: adaUser.id, labID: "http-basics", startedAt: 0, finishedAt: 1, passed: false,
                stagesPassed: 0, stageCount: 6, source: .upload)
            try await SQLLabRunRepository(database: database).record(run, report: "{}")
            let (_, bob) = try await TeamModeTests.signUp(client, email: "bob@example.org")
            // MUT
            let asBob = try await client.execute(uri: "/labs/http-basics/runs/\(run.id)", method: .get, headers: [.cookie: bob.header])
            let unknown = try await client.execute(uri: "/labs/http-basics/runs/nope", method: .get, headers: [.cookie: ada.header])
            // validate
            #expect(asBob.status == .notFound)
            #expect(unknown.status == .notFound)
            #expect(unknown.text.contains("You have no run &#39;nope&#39; of http-basics"))
        }
    }
}

/// `text/event-stream` text split into events.
enum ServerSentEvents {
    struct Event {
        let id: Int
        let name: String
        let data: String

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
        }
    }

    static func parse(_ text: String) -> [Event] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var fields: [String: String] = [:]
            for line in block.split(separator: "\n") {
                let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
            guard let id = fields["id"].flatMap(Int.init), let name = fields["event"], let data = fields["data"] else { return nil }
            return Event(id: id, name: name, data: data)
        }
    }
}
