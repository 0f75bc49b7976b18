import Foundation
import Hummingbird
import LabKit
import LabRunner
import NIOCore
import Testing

/// The three reports — text for people, JSON for scripts, JUnit for CI — fixed word for word for
/// each way a step can end, so a change to what a learner reads is a deliberate one. Files live in
/// `Tests/Golden/lab-reports/`; run with `GROUNDWORK_RECORD_GOLDEN=1` to write them anew, then
/// read the diff.
@Suite("Golden lab reports")
struct GoldenReportTests {
    enum Scenario: String, CaseIterable, Sendable {
        case pass, fail
        case serverError = "server-error"
        case timeout, refused, redirect
        case unresolvedCapture = "unresolved-capture"
    }

    static let goldenDirectory = TestLab.repositoryRoot.appendingPathComponent("Tests/Golden/lab-reports")

    @Test("each report reads exactly as recorded", arguments: Scenario.allCases)
    func report(scenario: Scenario) async throws {
        // setup
        let verdict = try await Self.run(scenario)
        // MUT
        let text = TextReporter(colour: false).report(verdict, replay: "groundwork check golden --target URL --seed 1")
        let reports = "== text\n\(text)\n== json\n\(JSONReporter.report(verdict))\n== junit\n\(JUnitReporter.report(verdict))"
        // validate
        let normalized = Self.normalize(reports)
        let file = Self.goldenDirectory.appendingPathComponent("\(scenario.rawValue).txt")
        if ProcessInfo.processInfo.environment["GROUNDWORK_RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try normalized.write(to: file, atomically: true, encoding: .utf8)
        }
        let recorded = try String(contentsOf: file, encoding: .utf8)
        #expect(normalized == recorded, "the \(scenario.rawValue) report changed; record it again if that is intended")
    }

    /// Ports, times and dates change from run to run; everything else must not.
    static func normalize(_ text: String) -> String {
        text.replacing(/127\.0\.0\.1:\d+/, with: "127.0.0.1:PORT")
            .replacing(/\d+ ms/, with: "N ms")
            .replacing(/"(durationMS|elapsedMS)" : \d+/) { "\"\($0.1)\" : N" }
            .replacing(/time="\d+\.\d+"/, with: "time=\"T\"")
            .replacing(/[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT/, with: "DATE")
    }

    private static let crashPage = """
        <!DOCTYPE html><html><head><title>Internal Server Error</title>
        <style>body { font-family: monospace; } .trace { color: #888; } h1 { font-size: 2em; }</style></head>
        <body><h1>TypeError: Cannot read properties of undefined (reading 'title')</h1>
        <pre class="trace">    at createNote (/app/server.js:42:17)</pre></body></html>
        """

    /// A router answering each scenario's path the way its server would.
    private static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/ok") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        router.get("/count") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"count":"41"}"#)))
        }
        router.get("/crash") { _, _ in
            Response(
                status: .internalServerError, headers: [.contentType: "text/html; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: crashPage)))
        }
        router.get("/api") { _, _ in Response(status: .movedPermanently, headers: [.location: "/api/"]) }
        router.post("/things") { _, _ in
            Response(status: .created, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"name":"x"}"#)))
        }
        return router
    }

    /// The scenario's step, as one line of YAML.
    private static func step(_ scenario: Scenario) -> String {
        let name = "name: \"the \(scenario.rawValue) step\""
        return switch scenario {
        case .pass: "{\(name), request: {method: GET, path: /ok}, expect: {status: 200, json: [{path: $.ok, equals: true}]}}"
        case .fail: "{\(name), request: {method: GET, path: /count}, expect: {json: [{path: $.count, equals: \"${n}\"}]}}"
        case .serverError: "{\(name), request: {method: GET, path: /crash}, expect: {status: 200, json: [{path: $.id, exists: true}]}}"
        case .timeout, .refused: "{\(name), timeout_ms: 300, request: {method: GET, path: /ok}, expect: {status: 200}}"
        case .redirect: "{\(name), request: {method: GET, path: /api}, expect: {json: [{path: $.unix, exists: true}]}}"
        case .unresolvedCapture: "{\(name), request: {method: POST, path: /things}, expect: {status: 201}, capture: {thing_id: {json: $.id}}}"
        }
    }

    /// A lab of one stage around the scenario's step; the unresolved capture gets a second stage
    /// that needs the value the first did not keep.
    private static func lab(_ scenario: Scenario) throws -> Lab {
        let second =
            scenario != .unresolvedCapture
            ? ""
            : """

              - id: read
                title: Read
                goal: Read it back.
                hint: The second stage's own hint.
                steps:
                  - {name: "GET /things/{id} answers it", request: {method: GET, path: "/things/${thing_id}"}, expect: {status: 200, json: [{path: $.id, equals: "${thing_id}"}]}}
            """
        return try TestLab.make(
            """
            id: test
            title: Golden
            summary: A lab for a golden report.
            random:
              n: number(41, 41)
            stages:
              - id: only
                title: The only stage
                goal: Answer.
                hint: The stage's own hint.
                steps:
                  - \(step(scenario))\(second)
            """)
    }

    private static func run(_ scenario: Scenario) async throws -> LabVerdict {
        let definition = try lab(scenario)
        switch scenario {
        case .timeout:
            return try await RawTCPServer.with(.silent) { url in
                await LabRunner(options: RunOptions(target: url, seed: 1)).run(definition)
            }
        case .refused:
            let url = URL(string: "http://127.0.0.1:\(try await LocalServer.closedPort())")!
            return await LabRunner(options: RunOptions(target: url, seed: 1)).run(definition)
        default:
            return try await LocalServer.serve(router()) { url in
                await LabRunner(options: RunOptions(target: url, seed: 1, continueAfterFailure: true)).run(definition)
            }
        }
    }
}
