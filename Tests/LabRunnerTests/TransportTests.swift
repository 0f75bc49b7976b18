import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

/// How the runner tells apart the ways a request can fail without an HTTP answer, and how it
/// handles redirects and refused addresses. Every server here listens on 127.0.0.1.
@Suite("Transport failures, redirects and the address guard in a run")
struct TransportTests {
    /// One GET / with a short timeout (a longer one where only a busy machine would reach it).
    private static func getRoot(timeoutMS: Int = 400) throws -> Lab {
        try TestLab.stage(
            """
                  - name: GET /
                    timeout_ms: \(timeoutMS)
                    request: {method: GET, path: /}
                    expect: {status: 200}
            """)
    }

    private func firstStep(_ verdict: LabVerdict) throws -> StepVerdict {
        try #require(verdict.stages.first?.steps.first)
    }

    @Test("nothing listening: connection refused, with a hint naming the address")
    func connectionRefused() async throws {
        // setup
        let port = try await LocalServer.closedPort()
        // MUT
        let verdict = await LabRunner(options: RunOptions(target: URL(string: "http://127.0.0.1:\(port)")!)).run(try Self.getRoot(timeoutMS: 5000))
        // validate
        let step = try firstStep(verdict)
        let error = try #require(step.exchange?.transportError)
        #expect(error.kind == .connectionRefused)
        #expect(error.hint == "nothing is listening there: is your server running, and listening on 127.0.0.1:\(port)?")
        #expect(step.failures == ["connection refused by 127.0.0.1:\(port)"])
        #expect(step.exchange?.curl == "curl -i 'http://127.0.0.1:\(port)/' -H 'User-Agent: groundwork-lab/1'")
    }

    @Test("a server that never answers: a timeout after the step's limit")
    func timeout() async throws {
        // MUT
        let (verdict, elapsed) = try await RawTCPServer.with(.silent) { url in
            let clock = ContinuousClock()
            let start = clock.now
            let verdict = await LabRunner(options: RunOptions(target: url)).run(try Self.getRoot())
            return (verdict, start.duration(to: clock.now))
        }
        // validate
        #expect(try firstStep(verdict).exchange?.transportError?.kind == .timeout)
        #expect(elapsed < .seconds(3))
    }

    @Test("a body that stalls after the headers: a timeout too, not a hang")
    func stalledBody() async throws {
        // MUT
        let (verdict, elapsed) = try await RawTCPServer.with(.sendAndStall("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a start")) { url in
            let clock = ContinuousClock()
            let start = clock.now
            let verdict = await LabRunner(options: RunOptions(target: url)).run(try Self.getRoot())
            return (verdict, start.duration(to: clock.now))
        }
        // validate
        #expect(try firstStep(verdict).exchange?.transportError?.kind == .timeout)
        #expect(elapsed < .seconds(3))
    }

    @Test("a server that hangs up: the connection was closed before an answer")
    func hangUp() async throws {
        // MUT
        let verdict = try await RawTCPServer.with(.hangUp) { url in
            await LabRunner(options: RunOptions(target: url)).run(try Self.getRoot())
        }
        // validate
        let error = try firstStep(verdict).exchange?.transportError
        #expect(error?.kind == .connectionReset, "classified as \(String(describing: error))")
    }

    @Test("something that is not HTTP on the port is told apart from a broken HTTP server")
    func notHTTP() async throws {
        // MUT
        let verdict = try await RawTCPServer.with(.send("SSH-2.0-OpenSSH_9.2\r\n")) { url in
            await LabRunner(options: RunOptions(target: url)).run(try Self.getRoot())
        }
        // validate
        let error = try #require(try firstStep(verdict).exchange?.transportError)
        #expect(error.kind == .notHTTP)
        #expect(error.hint.contains("is this the right port?"))
    }

    @Test("in team mode a run against 127.0.0.1 is refused before anything is sent")
    func teamModeRefusesLoopback() async throws {
        // setup
        let calls = Counter()
        let router = Router()
        router.get("/") { _, _ in
            await calls.increment()
            return "hi"
        }
        // MUT
        let verdict = try await LocalServer.serve(router) { url in
            await LabRunner(options: RunOptions(target: url, mode: .team)).run(try Self.getRoot())
        }
        // validate
        let error = try #require(try firstStep(verdict).exchange?.transportError)
        #expect(error.kind == .addressRefused)
        #expect(error.message.contains("groundwork check LAB --target URL --upload"))
        #expect(await calls.value == 0)
    }

    @Test("redirects are reported as they are unless the step follows them; every hop is checked by the guard")
    func redirects() async throws {
        // setup
        let lab = try TestLab.stage(
            """
                  - name: the redirect itself
                    request: {method: GET, path: /old}
                    expect:
                      status: 302
                      headers: {location: /new}
                  - name: followed
                    request: {method: GET, path: /old, follow_redirects: true}
                    expect:
                      status: 200
                      body: {contains: arrived}
                  - name: a hop to an address no lab may call
                    request: {method: GET, path: /escape, follow_redirects: true}
                    expect: {status: 200}
            """)
        let router = Router()
        router.get("/old") { _, _ in Response(status: .found, headers: [.location: "/new"]) }
        router.get("/new") { _, _ in "arrived" }
        router.get("/escape") { _, _ in Response(status: .found, headers: [.location: "http://0.0.0.0:9/"]) }
        // MUT
        let verdict = try await LocalServer.serve(router) { url in
            await LabRunner(options: RunOptions(target: url)).run(lab)
        }
        // validate
        let steps = try #require(verdict.stages.first?.steps)
        #expect(steps.map(\.outcome) == [.passed, .passed, .failed])
        #expect(steps[2].exchange?.transportError?.kind == .addressRefused)
        #expect(steps[2].exchange?.curl.contains(" -L ") == true)
    }
}

/// Counts calls a test server receives.
actor Counter {
    private(set) var value = 0
    /// Counts one more and returns the new count, in one step (so concurrent callers never share a value).
    @discardableResult func increment() -> Int {
        value += 1
        return value
    }
}
