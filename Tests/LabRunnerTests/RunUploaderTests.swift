import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

/// Uploading a run to a Groundwork server, against fakes on 127.0.0.1 that answer as the real
/// endpoint would (201 with an id) or refuse (401, a problem+json detail).
@Suite("Uploading a run")
struct RunUploaderTests {
    /// What the fake server saw.
    actor Received {
        var requests: [(path: String, authorization: String?, contentType: String?, body: String)] = []
        func add(_ request: (path: String, authorization: String?, contentType: String?, body: String)) { requests.append(request) }
    }

    /// A fake `POST /api/v1/lab-runs` that records each request and answers `status` with `body`.
    private static func fake(
        _ received: Received, status: HTTPResponse.Status, body: String,
        contentType: String = "application/json"
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/api/v1/lab-runs") { request, _ in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
            await received.add((request.uri.path, request.headers[.authorization], request.headers[.contentType], text))
            return Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        return router
    }

    private static let report = JSONReporter.report(
        LabVerdict(
            lab: "http-basics", title: "HTTP basics", target: "http://127.0.0.1:3000",
            seed: 5, outcome: .passed, durationMS: 10, stages: []))

    @Test("the report is posted with the bearer token and as JSON; the run id comes back")
    func uploads() async throws {
        // setup
        let received = Received()
        // MUT
        let id = try await LocalServer.serve(Self.fake(received, status: .created, body: #"{"id": "run-42", "lab": "http-basics"}"#)) { url in
            try await RunUploader(server: url, token: "gw_secret").upload(Self.report)
        }
        // validate
        #expect(id == "run-42")
        let request = try #require(await received.requests.first)
        #expect(request.path == "/api/v1/lab-runs")
        #expect(request.authorization == "Bearer gw_secret")
        #expect(request.contentType == "application/json")
        #expect(try JSONDecoder().decode(LabVerdict.self, from: Data(request.body.utf8)).seed == 5)
    }

    @Test("a numeric id is accepted too")
    func numericID() async throws {
        // MUT
        let id = try await LocalServer.serve(Self.fake(Received(), status: .created, body: #"{"id": 7}"#)) { url in
            try await RunUploader(server: url, token: "t").upload(Self.report)
        }
        // validate
        #expect(id == "7")
    }

    @Test(
        "each refusal says what to do",
        arguments: [
            (
                401, #"{"status": 401, "detail": "no such token"}"#,
                "the token was refused: create one on the API tokens page (http://127.0.0.1:PORT/account/tokens) and put it in GROUNDWORK_TOKEN"
            ),
            (
                422, #"{"type": "about:blank", "status": 422, "detail": "'seed' is missing"}"#,
                "http://127.0.0.1:PORT refused the run (422): 'seed' is missing"
            ),
            (201, #"{"stored": true}"#, "http://127.0.0.1:PORT stored the run but sent no run id back: is it a Groundwork server, and up to date?"),
            (
                404, "Not Found",
                "http://127.0.0.1:PORT answered 404 instead of 201 Created: Not Found — is --server the address of a Groundwork server?"
            ),
        ])
    func refusals(status: Int, body: String, message: String) async throws {
        // MUT
        let (error, port) = try await LocalServer.serve(
            Self.fake(Received(), status: .init(code: status), body: body, contentType: "application/problem+json")
        ) { url in
            let error = await #expect(throws: UploadError.self) { try await RunUploader(server: url, token: "t").upload(Self.report) }
            return (error, url.port ?? 0)
        }
        // validate
        #expect(error?.description == message.replacingOccurrences(of: "PORT", with: String(port)))
    }

    @Test("a server that is not running is reported as not reachable")
    func unreachable() async throws {
        // setup
        let port = try await LocalServer.closedPort()
        // MUT
        let error = await #expect(throws: UploadError.self) {
            try await RunUploader(server: URL(string: "http://127.0.0.1:\(port)")!, token: "t").upload(Self.report)
        }
        // validate
        #expect(error?.description.hasPrefix("the Groundwork server at http://127.0.0.1:\(port) is not reachable (connection refused)") == true)
    }
}
