import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabKit
import LabRunner
import Storage
import TestSupport
import Testing
import Web

@testable import ReferenceBackend

/// `POST /api/v1/lab-runs` (what `groundwork check --upload` sends) and `GET /api/v1/lab-runs`:
/// a real report is stored and verifies its topics; a bad one gets a documented problem.
@Suite("Lab run API")
struct LabRunAPITests {
    /// A real `groundwork check --format json` report: the lab run against the reference backend.
    static func report(_ labID: String = "http-basics", seed: UInt64 = 7) async throws -> String {
        let lab = try LabLoader(directory: LabPagesTests.labsDirectory).load(id: labID)
        let verdict = try await LocalTarget.reference(.httpBasics) { target in
            await LabRunner(options: RunOptions(target: target, seed: seed)).run(lab)
        }
        return JSONReporter.report(verdict)
    }

    static func upload(_ client: any TestClientProtocol, _ body: String, headers: HTTPFields = jsonHeaders) async throws -> TestResponse {
        try await client.execute(uri: "/api/v1/lab-runs", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func operation(_ method: String) throws -> OpenAPIConformanceTests.Operation {
        let operations = OpenAPIConformanceTests.operations(try OpenAPIConformanceTests.document())
        return try #require(operations.first { $0.method == method && $0.path == "/api/v1/lab-runs" })
    }

    @Test("an uploaded report is stored (201, Location), listed as an upload, and verifies the lab's topics", arguments: DatabaseKind.allCases)
    func uploadStoresRun(kind: DatabaseKind) async throws {
        // setup
        let report = try await Self.report()
        try await LabPagesTests.app(on: kind) { client, database in
            // MUT
            let response = try await Self.upload(client, report)
            // validate
            #expect(response.status == .created)
            let body = try response.json()
            let id = try #require(body["id"] as? String)
            #expect(body["lab"] as? String == "http-basics")
            #expect(body["passed"] as? Bool == true)
            #expect(response.headers[.location] == "/labs/http-basics/runs/\(id)")
            let validator = SchemaValidator(document: try OpenAPIConformanceTests.document())
            #expect(try OpenAPIConformanceTests.conformance(response, to: try Self.operation("post"), validator: validator) == [])

            let stored = try #require(try await SQLLabRunRepository(database: database).find(id: id, learnerID: "personal"))
            #expect(stored.run.source == .upload && stored.run.passed)
            #expect(stored.report == report)

            let list = try await client.execute(uri: "/api/v1/lab-runs", method: .get)
            let runs = try #require(try list.json()["runs"] as? [[String: Any]])
            #expect(runs.count == 1)
            #expect(runs.first?["id"] as? String == id)
            #expect(runs.first?["source"] as? String == "upload")
            #expect(try OpenAPIConformanceTests.conformance(list, to: try Self.operation("get"), validator: validator) == [])
            let filtered = try await client.execute(uri: "/api/v1/lab-runs?lab=rest-json", method: .get)
            #expect((try filtered.json()["runs"] as? [Any])?.isEmpty == true)

            let topic = try await client.execute(uri: "/topics/http", method: .get)
            #expect(topic.text.contains("Labs <span class=\"badge verified\">verified</span>"))
            let page = try await client.execute(uri: "/labs/http-basics/runs/\(id)", method: .get)
            #expect(page.text.contains("uploaded from the groundwork CLI"))
        }
    }

    @Test(
        "a bad upload gets a problem that says what to fix, and nothing is stored",
        arguments: [
            ("{", 400, "is not a lab report (it is not valid JSON)"),
            (#"{"lab": "http-basics"}"#, 400, "'title' is missing"),
            (#"[1, 2]"#, 400, "Send the JSON that `groundwork check LAB --target URL --format json` prints"),
        ])
    func malformedUpload(body: String, status: Int, message: String) async throws {
        try await LabPagesTests.app { client, database in
            // MUT
            let response = try await Self.upload(client, body)
            // validate
            #expect(response.status.code == status)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect((try response.json()["detail"] as? String)?.contains(message) == true, "\(response.text)")
            let validator = SchemaValidator(document: try OpenAPIConformanceTests.document())
            #expect(try OpenAPIConformanceTests.conformance(response, to: try Self.operation("post"), validator: validator) == [])
            #expect(try await LabPagesTests.learnerRuns(database).isEmpty)
        }
    }

    @Test("a report of a lab this server does not have, or with another lab's stages, is 422")
    func unknownLabOrStages() async throws {
        // setup
        let report = try await Self.report()
        let unknown = report.replacingOccurrences(of: #""lab" : "http-basics""#, with: #""lab" : "no-such-lab""#)
        let foreign = report.replacingOccurrences(of: #""lab" : "http-basics""#, with: #""lab" : "rest-json""#)
        #expect(unknown != report && foreign != report)
        try await LabPagesTests.app { client, database in
            // MUT
            let noLab = try await Self.upload(client, unknown)
            let wrongStages = try await Self.upload(client, foreign)
            // validate
            #expect(noLab.status == .unprocessableContent)
            #expect(
                (try noLab.json()["detail"] as? String)?.contains(
                    "This server has no lab 'no-such-lab' (its labs are: api-testing, async-jobs, auth-security, blog-api") == true)
            #expect(wrongStages.status == .unprocessableContent)
            #expect((try wrongStages.json()["detail"] as? String)?.contains("are not those of lab rest-json") == true)
            let validator = SchemaValidator(document: try OpenAPIConformanceTests.document())
            #expect(try OpenAPIConformanceTests.conformance(noLab, to: try Self.operation("post"), validator: validator) == [])
            #expect(try await LabPagesTests.learnerRuns(database).isEmpty)
        }
    }

    @Test("team mode: no credentials is 401; an API token uploads as its owner")
    func teamModeNeedsToken() async throws {
        // setup
        let report = try await Self.report()
        try await LabPagesTests.app(.team) { client, database in
            let (_, jar) = try await TeamModeTests.signUp(client)
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, jar.header),
                body: ByteBuffer(string: #"{"name":"laptop CLI"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let learner = try #require(try await SQLUserRepository(database: database).find(email: "ada@example.org"))
            // MUT
            let anonymous = try await Self.upload(client, report)
            let list = try await client.execute(uri: "/api/v1/lab-runs", method: .get)
            let withToken = try await Self.upload(client, report, headers: jsonHeaders.with(.authorization, "Bearer \(secret)"))
            // validate
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            #expect(list.status == .unauthorized)
            let validator = SchemaValidator(document: try OpenAPIConformanceTests.document())
            #expect(try OpenAPIConformanceTests.conformance(anonymous, to: try Self.operation("post"), validator: validator) == [])
            #expect(withToken.status == .created)
            let runs = try await LabPagesTests.learnerRuns(database, learnerID: learner.id)
            #expect(runs.map(\.source) == [.upload])
            let roadmap = try await client.execute(uri: "/", method: .get, headers: [.cookie: jar.header])
            #expect(roadmap.text.contains("badge verified"))
        }
    }
}
