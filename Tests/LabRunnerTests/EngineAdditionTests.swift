import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

/// What the catalogue labs needed from the engine: polling a request until background work is
/// done (`poll_ms`), a lower bound on response time (`min_ms`), a body that must not hold a text
/// (`not_contains`), signed webhook calls (`signature:`), and counting instances behind a proxy
/// (`probe: instances`) — each against a small server on 127.0.0.1.
@Suite("Engine additions for the lab catalogue")
struct EngineAdditionTests {
    /// A job that is done from its fourth look on, a slow and a fast answer, a leaky profile, two
    /// instances taking turns, and a server that signs its webhook calls.
    private static func router() -> Router<BasicRequestContext> {
        let router = Router()
        let looks = Counter()
        router.get("/job") { _, _ in
            #"{"status": "\#(await looks.increment() >= 4 ? "done" : "running")"}"#
        }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .milliseconds(120))
            return "slow"
        }
        router.get("/fast") { _, _ in "fast" }
        router.get("/profile") { _, _ in #"{"name": "ada", "PasswordHash": "x"}"# }
        let turns = Counter()
        router.get("/instance") { _, _ in
            Response(status: .ok, headers: [.init("X-Instance-Id")!: await turns.increment() % 2 == 0 ? "a" : "b"])
        }
        router.get("/one-instance") { _, _ in Response(status: .ok, headers: [.init("X-Instance-Id")!: "a"]) }
        router.get("/no-instance") { _, _ in Response(status: .ok) }
        router.post("/signed") { request, _ in
            var request = request
            let fields = try JSONDecoder().decode([String: String].self, from: Data(buffer: try await request.collectBody(upTo: 4096)))
            let body = Data(#"{"status":"done"}"#.utf8)
            let signature = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data((fields["key"] ?? "").utf8)))
                .map { String(format: "%02x", $0) }.joined()
            Task {
                var call = HTTPClientRequest(url: fields["url"] ?? "")
                call.method = .POST
                call.headers.add(name: "X-Signature", value: "sha256=" + signature)
                call.body = .bytes(ByteBuffer(data: body))
                _ = try? await HTTPClient.shared.execute(call, timeout: .seconds(2))
            }
            return Response(status: .accepted)
        }
        return router
    }

    /// Each step in a lab of its own (a failed step skips the rest of its stage), all against one server.
    private func run(_ steps: [String]) async throws -> [StepVerdict] {
        let labs = try steps.map { try TestLab.stage($0, random: "  secret: uuid\n  other: uuid") }
        return try await LocalServer.serve(Self.router()) { url in
            var verdicts: [StepVerdict] = []
            for lab in labs {
                let verdict = await LabRunner(options: RunOptions(target: url)).run(lab)
                verdicts += verdict.stages.first?.steps ?? []
            }
            return verdicts
        }
    }

    @Test("poll_ms: a request is asked again until it passes, and a step that never passes reports its last answer")
    func polling() async throws {
        // MUT
        let steps = try await run([
            """
                  - name: done in the end
                    poll_ms: 3000
                    request: {method: GET, path: /job}
                    expect: {json: [{path: $.status, equals: done}]}
            """,
            """
                  - name: never failed
                    poll_ms: 300
                    request: {method: GET, path: /job}
                    expect: {json: [{path: $.status, equals: failed}]}
            """,
        ])
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[0].notes.first?.hasPrefix("as expected after 4 requests (") == true)
        #expect(steps[1].outcome == .failed)
        #expect(steps[1].failures == [#"$.status: expected "failed", got "done""#])
        #expect(steps[1].notes.first?.hasPrefix("still not as expected after ") == true)
        #expect(steps[1].notes.first?.hasSuffix("; the failures are those of the last answer") == true)
        #expect(steps[1].durationMS >= 200)
    }

    @Test("poll_ms: a server that cannot be reached is reported at once, not polled until the time is up")
    func pollingStopsWithoutServer() async throws {
        // setup
        let lab = try TestLab.stage(
            """
                  - name: polled
                    poll_ms: 10000
                    request: {method: GET, path: /job}
                    expect: {status: 200}
            """)
        let port = try await LocalServer.closedPort()
        // MUT
        let verdict = await LabRunner(options: RunOptions(target: URL(string: "http://127.0.0.1:\(port)")!)).run(lab)
        // validate
        let step = try #require(verdict.stages.first?.steps.first)
        #expect(step.outcome == .failed)
        #expect(step.durationMS < 5000)
        #expect(step.exchange?.transportError?.kind == .connectionRefused)
    }

    @Test("min_ms fails an answer that comes too soon; not_contains finds a text in any capitals")
    func minimumTimeAndAbsentText() async throws {
        // MUT
        let steps = try await run([
            """
                  - name: slow enough
                    request: {method: GET, path: /slow}
                    expect: {min_ms: 100}
            """,
            """
                  - name: too fast
                    request: {method: GET, path: /fast}
                    expect: {min_ms: 100}
            """,
            """
                  - name: leaks a hash
                    request: {method: GET, path: /profile}
                    expect: {body: {not_contains: password}}
            """,
            """
                  - name: no secret
                    request: {method: GET, path: /profile}
                    expect: {body: {not_contains: "${secret}"}}
            """,
        ])
        // validate
        #expect(steps.map(\.outcome) == [.passed, .failed, .failed, .passed])
        #expect(steps[1].failures.first?.hasPrefix("time: expected the answer to take at least 100 ms, it took ") == true)
        #expect(steps[1].expected == ["takes at least 100 ms"])
        #expect(
            steps[2].failures == [
                #"body: expected it not to contain "password" (in any capitals), but it does: "{"name": "ada", "PasswordHash": "x"}""#
            ])
    }

    @Test("webhook signature: the HMAC-SHA256 of the body with the lab's secret passes; with another secret the failure shows the signature expected")
    func webhookSignature() async throws {
        // MUT
        let steps = try await run([
            """
                  - name: signed with the secret
                    probe: webhook
                    with:
                      request: {method: POST, path: /signed, json: {url: "${webhook_url}", key: "${secret}"}}
                      call: {method: POST, signature: {header: X-Signature, secret: "${secret}", prefix: "sha256="}}
                      within_ms: 3000
            """,
            """
                  - name: signed with another key
                    probe: webhook
                    with:
                      request: {method: POST, path: /signed, json: {url: "${webhook_url}", key: "${other}"}}
                      call: {signature: {header: X-Signature, secret: "${secret}", prefix: "sha256="}}
                      within_ms: 3000
            """,
            """
                  - name: unsigned
                    probe: webhook
                    with:
                      request: {method: POST, path: /signed, json: {url: "${webhook_url}", key: "${secret}"}}
                      call: {signature: {header: X-Hub-Signature-256, secret: "${secret}"}}
                      within_ms: 3000
            """,
        ])
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[0].expected.first?.hasSuffix(", signed with HMAC-SHA256 in X-Signature") == true)
        #expect(steps[1].outcome == .failed)
        #expect(steps[1].failures.first?.hasPrefix(#"webhook call: header X-Signature: expected "sha256="#) == true)
        #expect(steps[1].failures.first?.contains("(HMAC-SHA256 of the 17-byte body as sent, keyed with the secret") == true)
        #expect(steps[2].failures.first?.hasPrefix("webhook call: header X-Hub-Signature-256: missing; sign the body") == true)
    }

    @Test("instances: enough different ids pass; one id, or none, fails with what was seen")
    func instances() async throws {
        // MUT
        let steps = try await run([
            """
                  - name: two take turns
                    probe: instances
                    with: {request: {method: GET, path: /instance}, expect: {status: 200}, header: X-Instance-Id, requests: 6, at_least: 2}
            """,
            """
                  - name: always the same
                    probe: instances
                    with: {request: {method: GET, path: /one-instance}, header: X-Instance-Id, requests: 4, at_least: 2}
            """,
            """
                  - name: never named
                    probe: instances
                    with: {request: {method: GET, path: /no-instance}, header: X-Instance-Id, requests: 4, at_least: 2}
            """,
        ])
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[0].notes == ["2 different X-Instance-Id values in 6 answers: b ×3, a ×3"])
        #expect(steps[1].failures.first?.hasPrefix("4 answers came from 1 instance (X-Instance-Id: a ×4); expected at least 2") == true)
        #expect(steps[2].failures.first?.hasPrefix("request 1 of 4: the answer has no X-Instance-Id header") == true)
    }

    @Test(
        "the new fields are checked where they are written",
        arguments: [
            (
                """
                      - name: polled probe
                        poll_ms: 500
                        probe: restart
                """, "'poll_ms' repeats a request until it passes; a probe does its own repeating"
            ),
            (
                """
                      - name: too many
                        probe: instances
                        with: {request: {method: GET, path: /}, header: X-Instance-Id, requests: 2, at_least: 3}
                """, "'at_least' (3) cannot be more than 'requests' (2)"
            ),
            (
                """
                      - name: no secret
                        probe: webhook
                        with: {request: {method: POST, path: /}, call: {signature: {header: X-Signature}}}
                """, "missing field 'secret' (the key the server signs with)"
            ),
            (
                """
                      - name: unknown name
                        request: {method: GET, path: /}
                        expect: {body: {not_contains: "${nowhere}"}}
                """, "${nowhere} is not defined before this step"
            ),
        ])
    func parsing(steps: String, message: String) throws {
        // MUT
        let error = #expect(throws: InvalidLab.self) { try TestLab.stage(steps) }
        // validate
        #expect(error?.problems.contains { $0.message.contains(message) } == true, "\(error?.problems.map(\.message) ?? [])")
    }
}
