import AsyncHTTPClient
import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

/// The built-in probes against small servers on 127.0.0.1 that do, or fail to do, what each
/// probe looks for.
@Suite("Built-in probes")
struct ProbeTests {
    /// A server with a cache, a rate limit, a webhook sender, and their broken twins.
    private static func router() -> Router<BasicRequestContext> {
        let router = Router()
        let cached = Counter()
        router.get("/cached") { _, _ in
            if await cached.increment() == 1 { try await Task.sleep(for: .milliseconds(250)) }
            return "report"
        }
        router.get("/uncached") { _, _ in
            try await Task.sleep(for: .milliseconds(60))
            return "report"
        }
        let limited = Counter()
        router.get("/limited") { _, _ in
            return await limited.increment() > 5 ? Response(status: .tooManyRequests, headers: [.retryAfter: "1"]) : Response(status: .ok)
        }
        let bare = Counter()
        router.get("/limited-bare") { _, _ in
            return Response(status: await bare.increment() > 5 ? .tooManyRequests : .ok)
        }
        router.get("/unlimited") { _, _ in Response(status: .ok) }
        router.post("/subscribe") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: 4096)
            let url = (try? JSONDecoder().decode([String: String].self, from: Data(buffer: body)))?["url"] ?? ""
            Task {
                var call = HTTPClientRequest(url: url)
                call.method = .POST
                call.headers.add(name: "Content-Type", value: "application/json")
                call.body = .bytes(ByteBuffer(string: #"{"event": "created"}"#))
                _ = try? await HTTPClient.shared.execute(call, timeout: .seconds(2))
            }
            return Response(status: .accepted)
        }
        router.post("/subscribe-silent") { _, _ in Response(status: .accepted) }
        let ids = Counter()
        router.post("/ids") { _, _ in
            #"{"id": \#(await ids.increment())}"#
        }
        router.post("/same-id") { _, _ in #"{"id": 1}"# }
        return router
    }

    private func run(_ steps: String) async throws -> [StepVerdict] {
        let lab = try TestLab.stage(steps)
        let verdict = try await LocalServer.serve(Self.router()) { url in
            await LabRunner(options: RunOptions(target: url, continueAfterFailure: true)).run(lab)
        }
        return try #require(verdict.stages.first?.steps)
    }

    @Test("latency: passes when repeats are faster than the first answer, fails when they are not")
    func latency() async throws {
        // MUT
        let steps = try await run(
            """
                  - name: cached
                    probe: latency
                    with: {request: {method: GET, path: /cached}, expect: {status: 200}, repeat: 4, max_ratio: 0.5}
            """)
        let slow = try await run(
            """
                  - name: uncached
                    probe: latency
                    with: {request: {method: GET, path: /uncached}, repeat: 3, max_ratio: 0.5}
            """)
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[0].notes.first?.hasPrefix("the first answer took") == true)
        #expect(slow[0].outcome == .failed)
        #expect(slow[0].failures.first?.contains("is the result kept and reused") == true)
    }

    @Test("burst: passes at the first 429 (with Retry-After when required), fails when none comes")
    func burst() async throws {
        // MUT
        let limited = try await run(
            """
                  - name: limited
                    probe: burst
                    with: {request: {method: GET, path: /limited}, max_requests: 20, retry_after: true}
            """)
        let bare = try await run(
            """
                  - name: limited without Retry-After
                    probe: burst
                    with: {request: {method: GET, path: /limited-bare}, max_requests: 20, retry_after: true}
            """)
        let unlimited = try await run(
            """
                  - name: never limited
                    probe: burst
                    with: {request: {method: GET, path: /unlimited}, max_requests: 15}
            """)
        // validate
        #expect(limited[0].notes == ["answered 429 after 6 requests (Retry-After: 1)"])
        #expect(bare[0].failures == ["request 6 was answered 429 without a Retry-After header: say when the client may try again"])
        #expect(unlimited[0].outcome == .failed)
        #expect(unlimited[0].failures.first?.hasPrefix("15 requests in") == true)
    }

    @Test("webhook: the receiver on 127.0.0.1 sees the call the server makes, and notices when none comes")
    func webhook() async throws {
        // MUT
        let steps = try await run(
            """
                  - name: calls back
                    probe: webhook
                    with:
                      request: {method: POST, path: /subscribe, json: {url: "${webhook_url}"}}
                      expect: {status: 202}
                      call: {method: POST, json: [{path: $.event, equals: created}], headers: {content-type: {contains: json}}}
                      within_ms: 3000
                  - name: never calls
                    probe: webhook
                    with:
                      request: {method: POST, path: /subscribe-silent, json: {url: "${webhook_url}"}}
                      call: {method: POST}
                      within_ms: 300
            """)
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[0].notes.first?.contains(#"your server called POST /hooks/"#) == true)
        #expect(steps[1].outcome == .failed)
        #expect(steps[1].failures.first?.contains("arrived within 300 ms") == true)
    }

    @Test("concurrent: distinct values pass; a shared value names the two requests that got it")
    func concurrent() async throws {
        // MUT
        let steps = try await run(
            """
                  - name: distinct ids
                    probe: concurrent
                    with: {count: 6, request: {method: POST, path: /ids, json: {n: "${i}"}}, expect: {status: 200}, distinct: $.id}
                  - name: the same id
                    probe: concurrent
                    with: {count: 3, request: {method: POST, path: /same-id}, distinct: $.id}
            """)
        // validate
        #expect(steps[0].outcome == .passed, "\(steps[0].failures)")
        #expect(steps[1].outcome == .failed)
        #expect(steps[1].failures.first?.hasPrefix("requests 1 and 2, sent at once, both got $.id = 1") == true)
    }
}
