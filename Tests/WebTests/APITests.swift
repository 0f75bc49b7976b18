import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// The JSON API in personal mode: shapes, status codes and problem+json errors.
@Suite("JSON API")
struct APITests {
    @Test("PUT /api/v1/progress/{topicId} stores the state; the roadmap and progress list show it", arguments: DatabaseKind.allCases)
    func setAndReadProgress(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, _ in
            // MUT
            let put = try await client.execute(
                uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders, body: ByteBuffer(string: #"{"state":"done"}"#))
            // validate
            #expect(put.status == .ok)
            #expect(try put.json()["state"] as? String == "done")

            let list = try await client.execute(uri: "/api/v1/progress", method: .get)
            let entries = try list.json()["progress"] as? [[String: Any]]
            #expect(entries?.count == 1)
            #expect(entries?.first?["topicId"] as? String == "http")

            let roadmap = try await client.execute(uri: "/api/v1/roadmap", method: .get)
            let stages = try roadmap.json()["stages"] as? [[String: Any]] ?? []
            let http = stages.flatMap { $0["topics"] as? [[String: Any]] ?? [] }.first { $0["id"] as? String == "http" }
            #expect(http?["state"] as? String == "done")
            #expect((try roadmap.json()["progress"] as? [String: Any])?["done"] as? Int == 1)
        }
    }

    @Test("GET /api/v1/topics/{id} returns the lesson and resources; an unknown id is a 404 problem")
    func topicEndpoint() async throws {
        try await TestApp.test { client, _ in
            let topic = try await client.execute(uri: "/api/v1/topics/http", method: .get)
            #expect(topic.status == .ok)
            let body = try topic.json()
            #expect(body["title"] as? String == "HTTP")
            #expect((body["lesson"] as? String)?.contains("##") == true)
            #expect((body["resources"] as? [Any])?.isEmpty == false)

            let missing = try await client.execute(uri: "/api/v1/topics/nope", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/problem+json")
            let problem = try missing.json()
            #expect(problem["status"] as? Int == 404)
            #expect((problem["detail"] as? String)?.contains("GET /api/v1/roadmap lists every topic id") == true)
        }
    }

    @Test(
        "bad input gets a clear 4xx problem and leaves stored progress untouched",
        arguments: [
            (#"{"state":"done""#, "application/json", HTTPResponse.Status.badRequest, "not valid JSON"),
            (#"{"stat":"done"}"#, "application/json", .unprocessableContent, "'state' is missing"),
            (#"{"state":"finished"}"#, "application/json", .unprocessableContent, "must be one of: todo, learning, done, skipped"),
            (#"{"state":"<script>alert(1)</script>"}"#, "application/json", .unprocessableContent, "must be one of"),
            (#"{"state":42}"#, "application/json", .unprocessableContent, "wrong type"),
            (#"state=done"#, "text/plain", .unsupportedMediaType, "Content-Type: application/json"),
        ])
    func badInput(body: String, contentType: String, status: HTTPResponse.Status, message: String) async throws {
        try await TestApp.test { client, database in
            // setup: a stored state that must survive
            try await SQLProgressRepository(database: database).setState(.learning, learnerID: "personal", topicID: "http")
            // MUT
            let response = try await client.execute(
                uri: "/api/v1/progress/http", method: .put,
                headers: [.contentType: contentType], body: ByteBuffer(string: body))
            // validate
            #expect(response.status == status)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect((try response.json()["detail"] as? String)?.contains(message) == true)
            #expect(try await SQLProgressRepository(database: database).state(learnerID: "personal", topicID: "http") == .learning)
        }
    }

    @Test("a known path with the wrong method is a 405 naming the allowed methods, not a 404")
    func wrongMethod() async throws {
        try await TestApp.test { client, _ in
            let api = try await client.execute(uri: "/api/v1/roadmap", method: .delete)
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers[.allow] == "GET, HEAD")
            #expect(api.headers[.contentType] == "application/problem+json")
            let parameterised = try await client.execute(
                uri: "/api/v1/progress/http", method: .post, headers: jsonHeaders, body: ByteBuffer(string: "{}"))
            #expect(parameterised.status == .methodNotAllowed)
            #expect(parameterised.headers[.allow] == "PUT")
            let page = try await client.execute(uri: "/topics/http", method: .options)
            #expect(page.status == .methodNotAllowed)
            #expect(page.text.contains("OPTIONS is not allowed on /topics/http"))
            let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .delete)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("a 10 MB body is refused with 413 before it is read")
    func hugeBody() async throws {
        try await TestApp.test { client, database in
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024)
            let response = try await client.execute(uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders, body: huge)
            #expect(response.status == .contentTooLarge)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal").isEmpty)

            let form = try await client.execute(uri: "/topics/http/progress", method: .post, headers: formHeaders, body: huge)
            #expect(form.status == .contentTooLarge)
        }
    }

    @Test("a write from another website's origin is refused")
    func crossOriginWrite() async throws {
        try await TestApp.test { client, database in
            let response = try await client.execute(
                uri: "/api/v1/progress/http", method: .put,
                headers: jsonHeaders.with(.origin, "http://evil.example"), body: ByteBuffer(string: #"{"state":"done"}"#))
            #expect(response.status == .forbidden)
            #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal").isEmpty)
        }
    }

    @Test("setting progress on a topic that does not exist is a 404, not a stored row")
    func unknownTopicProgress() async throws {
        try await TestApp.test { client, database in
            let response = try await client.execute(
                uri: "/api/v1/progress/no-such-topic", method: .put, headers: jsonHeaders, body: ByteBuffer(string: #"{"state":"done"}"#))
            #expect(response.status == .notFound)
            #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal").isEmpty)
        }
    }

    @Test("progress of a topic removed from the content is kept, and shows again when the topic returns", arguments: DatabaseKind.allCases)
    func progressOutlivesContentEdits(kind: DatabaseKind) async throws {
        let full = try TestApp.roadmap()
        let withoutHTTP = Roadmap(
            stages: full.stages.map { stage in
                Stage(id: stage.id, title: stage.title, summary: stage.summary, topics: stage.topics.filter { $0.id != "http" })
            })
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                _ = try await SQLUserRepository(database: database).ensure(id: "personal", email: "learner@localhost")
                try await SQLProgressRepository(database: database).setState(.done, learnerID: "personal", topicID: "http")
            }
            // The topic disappears: its state is still listed, and the roadmap simply lacks it.
            try await location.use { database in
                let router = try await buildRouter(
                    AppDependencies(configuration: TestApp.configuration(.personal), roadmap: withoutHTTP, database: database))
                try await Application(router: router).test(.router) { client in
                    let list = try await client.execute(uri: "/api/v1/progress", method: .get)
                    #expect(list.text.contains(#""topicId":"http""#))
                    let page = try await client.execute(uri: "/topics/http", method: .get)
                    #expect(page.status == .notFound)
                }
            }
            // The topic comes back: it shows as done again.
            try await location.use { database in
                let router = try await buildRouter(
                    AppDependencies(configuration: TestApp.configuration(.personal), roadmap: full, database: database))
                try await Application(router: router).test(.router) { client in
                    let page = try await client.execute(uri: "/topics/http", method: .get)
                    #expect(page.text.contains(#"value="done" aria-pressed="true""#))
                }
            }
        }
    }

    @Test("API tokens: created once with their secret, listed without it, revoked")
    func tokensLifecycle() async throws {
        try await TestApp.test { client, database in
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"laptop"}"#))
            #expect(created.status == .created)
            let body = try created.json()
            let secret = try #require(body["secret"] as? String)
            let id = try #require((body["token"] as? [String: Any])?["id"] as? String)
            #expect(secret.hasPrefix("gw_"))
            #expect(created.headers[.location] == "/api/v1/tokens/\(id)")

            // The secret works as a bearer token and is never listed or stored in clear.
            let list = try await client.execute(uri: "/api/v1/tokens", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(list.status == .ok)
            #expect(!list.text.contains(secret))
            let stored = try await database.withSQL { try await $0.raw("SELECT token_hash FROM api_tokens").all() }
            let storedHash = try #require(stored.first).decode(column: "token_hash", as: String.self)
            #expect(storedHash != secret && storedHash.count == 64)

            let revoked = try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete)
            #expect(revoked.status == .noContent)
            let afterRevoke = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(afterRevoke.status == .unauthorized)
            #expect(afterRevoke.headers[.wwwAuthenticate] == "Bearer")

            let again = try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete)
            #expect(again.status == .notFound)
        }
    }

    @Test("a token name must be 1 to 100 characters")
    func tokenNameValidated() async throws {
        try await TestApp.test { client, _ in
            let empty = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"  "}"#))
            #expect(empty.status == .unprocessableContent)
            let long = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders,
                body: ByteBuffer(string: #"{"name":"\#(String(repeating: "x", count: 101))"}"#))
            #expect(long.status == .unprocessableContent)
        }
    }
}
