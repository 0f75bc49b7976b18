import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabKit
import Testing
import Web
import Yams

/// The OpenAPI document in the repository is the contract: every documented operation exists,
/// answers with a documented status, and its JSON body matches the documented schema.
@Suite("OpenAPI contract")
struct OpenAPIConformanceTests {
    static let documentURL = TestApp.repositoryRoot.appendingPathComponent("Sources/Web/openapi.yaml")

    static func document() throws -> [String: Any] {
        let text = try String(contentsOf: documentURL, encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    /// Parsed YAML is read-only once loaded, so sharing it with the test's closures is safe.
    struct Operation: @unchecked Sendable {
        let method: String
        let path: String
        let spec: [String: Any]
    }

    static func operations(_ document: [String: Any]) -> [Operation] {
        let paths = document["paths"] as? [String: Any] ?? [:]
        return paths.keys.sorted().flatMap { path in
            let item = paths[path] as? [String: Any] ?? [:]
            return ["get", "put", "post", "delete"].compactMap { method in
                (item[method] as? [String: Any]).map { Operation(method: method, path: path, spec: $0) }
            }
        }
    }

    /// Checks one response against the operation's documented responses; returns what is wrong.
    static func conformance(_ response: TestResponse, to operation: Operation, validator: SchemaValidator) throws -> [String] {
        let responses = operation.spec["responses"] as? [String: Any] ?? [:]
        guard var documented = responses[String(response.status.code)] as? [String: Any] else {
            return ["\(operation.method.uppercased()) \(operation.path): status \(response.status.code) is not documented"]
        }
        if let reference = documented["$ref"] as? String { documented = validator.resolve(reference) }
        guard let content = documented["content"] as? [String: Any] else { return [] }
        let mediaType = (response.headers[.contentType] ?? "").split(separator: ";").first.map(String.init) ?? ""
        guard let entry = content[mediaType] as? [String: Any] else {
            return ["\(operation.method.uppercased()) \(operation.path): content type '\(mediaType)' is not documented for \(response.status.code)"]
        }
        guard mediaType.hasSuffix("json"), let schema = entry["schema"] as? [String: Any] else { return [] }
        let value = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return validator.errors(value, against: schema).map { "\(operation.method.uppercased()) \(operation.path): \($0)" }
    }

    @Test("every documented operation exists and its success response matches the schema")
    func everyOperationConforms() async throws {
        let document = try Self.document()
        let validator = SchemaValidator(document: document)
        let operations = Self.operations(document)
        #expect(operations.count >= 10)
        try await TestApp.test { client, _ in
            // setup: a token to list and then revoke
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"contract"}"#))
            let tokenID = try #require((try created.json()["token"] as? [String: Any])?["id"] as? String)

            // Writes first, so reads find something (a note to read); deletes last, so the token
            // stays alive for the others.
            let order = ["put": 0, "post": 0, "get": 1, "delete": 2]
            for operation in operations.sorted(by: { order[$0.method, default: 1] < order[$1.method, default: 1] }) {
                let uri = operation.path
                    .replacingOccurrences(of: "/tokens/{id}", with: "/tokens/\(tokenID)")
                    .replacingOccurrences(of: "{id}", with: "http")
                    .replacingOccurrences(of: "{topicId}", with: "http")
                let body = ((operation.spec["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"] as? [String: Any]
                let example = try body?["example"].map { try JSONSerialization.data(withJSONObject: $0) }
                let response = try await client.execute(
                    uri: uri, method: HTTPRequest.Method(operation.method.uppercased())!,
                    headers: example == nil ? [:] : jsonHeaders, body: example.map { ByteBuffer(bytes: $0) }
                )
                #expect(response.status.code < 300, "\(operation.method.uppercased()) \(uri) answered \(response.status.code)")
                #expect(try Self.conformance(response, to: operation, validator: validator) == [])
            }
        }
    }

    @Test("error responses are documented problem+json bodies")
    func errorsConform() async throws {
        let document = try Self.document()
        let validator = SchemaValidator(document: document)
        let operations = Self.operations(document)
        @Sendable func operation(_ method: String, _ path: String) throws -> Operation {
            try #require(operations.first { $0.method == method && $0.path == path })
        }
        try await TestApp.test { client, _ in
            let cases: [(Operation, TestResponse)] = [
                (try operation("get", "/api/v1/topics/{id}"), try await client.execute(uri: "/api/v1/topics/nope", method: .get)),
                (
                    try operation("put", "/api/v1/progress/{topicId}"),
                    try await client.execute(uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders, body: ByteBuffer(string: "{"))
                ),
                (
                    try operation("put", "/api/v1/progress/{topicId}"),
                    try await client.execute(
                        uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders, body: ByteBuffer(string: #"{"state":"x"}"#))
                ),
                (
                    try operation("put", "/api/v1/progress/{topicId}"),
                    try await client.execute(
                        uri: "/api/v1/progress/http", method: .put, headers: [.contentType: "text/plain"], body: ByteBuffer(string: "x"))
                ),
                (try operation("delete", "/api/v1/tokens/{id}"), try await client.execute(uri: "/api/v1/tokens/nope", method: .delete)),
            ]
            for (operation, response) in cases {
                #expect(response.status.code >= 400)
                #expect(try Self.conformance(response, to: operation, validator: validator) == [])
            }
        }
    }

    @Test("the served document is the repository's, with one report variant per lab: its id and its stages in order")
    func servedDocumentMatchesRepository() async throws {
        try await TestApp.test { client, _ in
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let repository = try String(contentsOf: Self.documentURL, encoding: .utf8).components(separatedBy: "\n")
            let served = response.text.components(separatedBy: "\n")
            let marker = try #require(repository.firstIndex { $0.trimmingCharacters(in: .whitespaces) == "# lab-report-variants" })
            #expect(served.count == repository.count)
            #expect(Array(served.prefix(marker)) == Array(repository.prefix(marker)))
            #expect(Array(served.dropFirst(marker + 1)) == Array(repository.dropFirst(marker + 1)))

            let document = try #require(try Yams.load(yaml: response.text) as? [String: Any])
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let variants = try #require((schemas["LabReport"] as? [String: Any])?["oneOf"] as? [[String: Any]])
            let labs = LabLoader(directory: TestApp.repositoryRoot.appendingPathComponent("Content/labs")).check().labs
            #expect(variants.count == labs.count)
            for (variant, lab) in zip(variants, labs) {
                let properties = try #require(variant["properties"] as? [String: Any])
                #expect((properties["lab"] as? [String: Any])?["const"] as? String == lab.id)
                let stages = try #require(properties["stages"] as? [String: Any])
                #expect(stages["maxItems"] as? Int == lab.stages.count)
                let ids = (stages["prefixItems"] as? [[String: Any]])?.compactMap {
                    (($0["properties"] as? [String: Any])?["id"] as? [String: Any])?["const"] as? String
                }
                #expect(ids == lab.stages.map(\.id))
            }
        }
    }
}
