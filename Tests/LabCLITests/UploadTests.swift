import Foundation
import LabKit
import Testing

/// `groundwork check … --upload`: the JSON report goes to a Groundwork server with the token from
/// GROUNDWORK_TOKEN; a fake server on 127.0.0.1 records what arrives.
@Suite("groundwork check --upload", .serialized)
struct UploadTests {
    private static func check(_ extra: [String], environment: [String: String]) async throws -> (code: Int32, out: String, err: String) {
        let port = try LabCLI.freePort()
        return try await LabCLI.run(
            [
                "check", "http-basics", "--run", LabCLI.referenceCommand(lab: "http-basics", port: port),
                "--port", String(port), "--upload",
            ] + extra, environment: environment)
    }

    @Test("the report is posted to SERVER/api/v1/lab-runs as JSON with the bearer token, and the run id is printed")
    func uploads() async throws {
        // MUT
        let (result, received) = try await FakeGroundworkServer.with(status: .created, answer: #"{"id": "run-17", "lab": "http-basics"}"#) {
            url, log in
            (try await Self.check(["--server", url.absoluteString], environment: ["GROUNDWORK_TOKEN": "gw_test_token"]), await log.requests)
        }
        // validate
        #expect(result.code == 0, "\(result.out)\n\(result.err)")
        #expect(result.out.contains("PASSED http-basics"))
        #expect(result.out.contains("\nUploaded as run run-17 to http://127.0.0.1:"))
        let request = try #require(received.first)
        #expect(received.count == 1)
        #expect(request.path == "/api/v1/lab-runs")
        #expect(request.authorization == "Bearer gw_test_token")
        #expect(request.contentType == "application/json")
        let verdict = try JSONDecoder().decode(LabVerdict.self, from: Data(request.body.utf8))
        #expect(verdict.lab == "http-basics")
        #expect(verdict.passed)
        #expect(!result.out.contains("gw_test_token") && !result.err.contains("gw_test_token"))
    }

    @Test("a refused token (401) says where to create one, and exits 2; GROUNDWORK_SERVER names the server")
    func refusedToken() async throws {
        // MUT
        let (result, address) = try await FakeGroundworkServer.with(status: .unauthorized, answer: #"{"status": 401, "detail": "unknown token"}"#) {
            url, _ in
            (try await Self.check([], environment: ["GROUNDWORK_TOKEN": "gw_revoked", "GROUNDWORK_SERVER": url.absoluteString]), url.absoluteString)
        }
        // validate
        #expect(result.code == 2)
        #expect(result.out.contains("PASSED http-basics"))
        #expect(
            result.err.hasSuffix(
                "groundwork: the run was not uploaded: the token was refused: create one on the API tokens page "
                    + "(\(address)/account/tokens) and put it in GROUNDWORK_TOKEN\n"), "\(result.err)")
    }

    @Test("without GROUNDWORK_TOKEN nothing is run or sent, and the message says how to get a token")
    func missingToken() async throws {
        // MUT
        let (result, received) = try await FakeGroundworkServer.with(status: .created, answer: #"{"id": 1}"#) { url, log in
            (try await Self.check(["--server", url.absoluteString], environment: [:]), await log.requests)
        }
        // validate
        #expect(result.code == 2)
        #expect(
            result.err.hasPrefix(
                "groundwork: --upload needs an API token in the environment variable GROUNDWORK_TOKEN: create one on the API tokens page (http://127.0.0.1:"
            ))
        #expect(!result.out.contains("Starting your program"))
        #expect(received.isEmpty)
    }

    @Test("a server that is not running is reported as not reachable")
    func unreachable() async throws {
        // setup
        let closed = try LabCLI.freePort()
        // MUT
        let result = try await Self.check(["--server", "http://127.0.0.1:\(closed)"], environment: ["GROUNDWORK_TOKEN": "t"])
        // validate
        #expect(result.code == 2)
        #expect(
            result.err.contains(
                "groundwork: the run was not uploaded: the Groundwork server at http://127.0.0.1:\(closed) is not reachable (connection refused)"))
    }
}
