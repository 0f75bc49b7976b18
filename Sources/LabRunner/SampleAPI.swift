import Foundation
import Hummingbird
import LabKit
import Logging
import NIOCore
import ServiceLifecycle

/// The api-testing lab's server: a small task API the learner's test suite runs against — the
/// correct one, which the suite must pass, and versions with one named bug each, which it must
/// fail. Served in-process on 127.0.0.1, on a port the system picks, one fresh server per run of
/// the suite.
///
/// The API: every request needs `Authorization: Bearer $API_TOKEN`. `POST /tasks` with
/// `{"title": text of 1–100 characters, "done": boolean (optional)}` answers 201, a `Location`
/// and the task `{"id", "title", "done"}`; a bad body answers 422. `GET`, `PUT` (the same body)
/// and `DELETE /tasks/{id}` answer 200, 200 and 204, or 404. `GET /tasks?limit=&offset=&done=`
/// answers `{"items": […], "total": N}`, oldest first, 20 items unless `limit` (1–100) says.
public enum SampleAPI {
    /// The token the test suite is given in `API_TOKEN`.
    public static let token = "groundwork-practice-token"

    /// One deliberate bug; the stage whose tests should catch it.
    public enum Bug: String, Sendable, CaseIterable {
        case createAnswers200 = "create-answers-200"
        case missingAnswers200 = "missing-answers-200"
        case acceptsEmptyTitle = "accepts-empty-title"
        case acceptsWrongType = "accepts-wrong-type"
        case deleteKeepsTask = "delete-keeps-task"
        case updateNotStored = "update-not-stored"
        case limitIgnored = "limit-ignored"
        case doneFilterIgnored = "done-filter-ignored"
        case writesWithoutToken = "writes-without-token"
        case anyTokenAccepted = "any-token-accepted"
        case racyIDs = "racy-ids"

        /// The lab stage whose tests should catch it.
        public var stage: String {
            switch self {
            case .createAnswers200, .missingAnswers200: "status-codes"
            case .acceptsEmptyTitle, .acceptsWrongType: "validation"
            case .deleteKeepsTask, .updateNotStored: "lifecycle"
            case .limitIgnored, .doneFilterIgnored: "pagination"
            case .writesWithoutToken, .anyTokenAccepted: "auth"
            case .racyIDs: "concurrency"
            }
        }

        /// What is broken, told after the run (never before: the suite should find it).
        public var description: String {
            switch self {
            case .createAnswers200: "POST /tasks answers 200 instead of 201 Created"
            case .missingAnswers200: "GET /tasks/{id} of a task that does not exist answers 200 with null instead of 404"
            case .acceptsEmptyTitle: "POST /tasks accepts an empty title"
            case .acceptsWrongType: "POST /tasks accepts \"done\" that is not a boolean (a text, a number)"
            case .deleteKeepsTask: "DELETE /tasks/{id} answers 204 but the task can still be read"
            case .updateNotStored: "PUT /tasks/{id} answers the new task but does not store it"
            case .limitIgnored: "GET /tasks ignores limit (and offset): it always answers the first 20"
            case .doneFilterIgnored: "GET /tasks ignores ?done=, answering every task"
            case .writesWithoutToken: "POST, PUT and DELETE work without a token (reads still need one)"
            case .anyTokenAccepted: "any bearer token is accepted, not only the right one"
            case .racyIDs: "two tasks created at the same moment can get the same id"
            }
        }
    }

    struct Task: Sendable {
        var id: Int
        var title: String
        var done: Bool

        var json: String { #"{"id":\#(id),"title":\#(SampleAPI.quoted(title)),"done":\#(done)}"# }
    }

    actor Store {
        var tasks: [Int: Task] = [:]
        var lastID = 0

        func create(title: String, done: Bool, racy: Bool) async -> Task {
            let id: Int
            if racy {
                // Read, pause, write: what a read-modify-write without a lock does under load.
                let next = (tasks.keys.max() ?? 0) + 1
                try? await _Concurrency.Task.sleep(for: .milliseconds(100))
                id = next
            } else {
                lastID += 1
                id = lastID
            }
            let task = Task(id: id, title: title, done: done)
            tasks[id] = task
            return task
        }

        func get(_ id: Int) -> Task? { tasks[id] }
        func put(_ task: Task) { tasks[task.id] = task }
        func delete(_ id: Int) -> Bool { tasks.removeValue(forKey: id) != nil }
        func all() -> [Task] { tasks.values.sorted { $0.id < $1.id } }
    }

    /// Serves the API (with `bug`, or correct) while `body` runs; passes `body` its base URL.
    public static func with<T: Sendable>(bug: Bug?, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "groundwork.sample-api")
        logger.logLevel = .critical
        let app = Application(
            router: router(bug: bug, store: Store()), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            }, logger: logger)
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await services.triggerGracefulShutdown()
                throw CommandFailure(reason: "the practice API could not listen on 127.0.0.1")
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(URL(string: "http://127.0.0.1:\(port)")!))
            } catch {
                result = .failure(error)
            }
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
            return try result.get()
        }
    }

    static func router(bug: Bug?, store: Store) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: TokenCheck(bug: bug))
        router.post("/tasks") { request, context -> Response in
            var request = request
            guard let fields = try await body(&request, context) else { return problem(.badRequest, "the body must be a JSON object") }
            if let refusal = validate(fields, bug: bug) { return problem(.unprocessableContent, refusal) }
            let task = await store.create(title: title(fields), done: done(fields), racy: bug == .racyIDs)
            return json(bug == .createAnswers200 ? .ok : .created, task.json, location: "/tasks/\(task.id)")
        }
        router.get("/tasks") { request, _ -> Response in
            let query = request.uri.queryParameters
            var limit = 20
            var offset = 0
            if bug != .limitIgnored {
                if let text = query["limit"] {
                    guard let value = Int(String(text)), (1...100).contains(value) else { return problem(.badRequest, "limit must be 1 to 100") }
                    limit = value
                }
                if let text = query["offset"] {
                    guard let value = Int(String(text)), value >= 0 else { return problem(.badRequest, "offset must be 0 or more") }
                    offset = value
                }
            }
            var tasks = await store.all()
            if bug != .doneFilterIgnored, let done = query["done"] {
                guard done == "true" || done == "false" else { return problem(.badRequest, "done must be true or false") }
                tasks = tasks.filter { $0.done == (done == "true") }
            }
            let page = tasks.dropFirst(offset).prefix(limit)
            return json(.ok, #"{"items":[\#(page.map(\.json).joined(separator: ","))],"total":\#(tasks.count)}"#)
        }
        router.get("/tasks/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let task = await store.get(id) else {
                return bug == .missingAnswers200 ? json(.ok, "null") : problem(.notFound, "no such task")
            }
            return json(.ok, task.json)
        }
        router.put("/tasks/:id") { request, context -> Response in
            var request = request
            guard let id = context.parameters.get("id", as: Int.self), await store.get(id) != nil else { return problem(.notFound, "no such task") }
            guard let fields = try await body(&request, context) else { return problem(.badRequest, "the body must be a JSON object") }
            if let refusal = validate(fields, bug: bug) { return problem(.unprocessableContent, refusal) }
            let task = Task(id: id, title: title(fields), done: done(fields))
            if bug != .updateNotStored { await store.put(task) }
            return json(.ok, task.json)
        }
        router.delete("/tasks/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), await store.get(id) != nil else { return problem(.notFound, "no such task") }
            if bug != .deleteKeepsTask { _ = await store.delete(id) }
            return Response(status: .noContent)
        }
        return router
    }

    /// Requests need the token; the auth bugs let some through.
    struct TokenCheck: RouterMiddleware {
        typealias Context = BasicRequestContext
        let bug: Bug?

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let header = request.headers[.authorization] ?? ""
            let isWrite = request.method != .get && request.method != .head
            let accepted: Bool =
                switch bug {
                case .writesWithoutToken where isWrite: true
                case .anyTokenAccepted: header.hasPrefix("Bearer ") && header.count > 7
                default: header == "Bearer \(SampleAPI.token)"
                }
            guard accepted else {
                var response = problem(.unauthorized, "send Authorization: Bearer followed by the API token")
                response.headers[.wwwAuthenticate] = "Bearer"
                return response
            }
            return try await next(request, context)
        }
    }

    private static func body(_ request: inout Request, _ context: BasicRequestContext) async throws -> JSONValue? {
        let buffer = try await request.collectBody(upTo: 65_536)
        guard let value = JSONValue.parse(Data(buffer: buffer)), case .object = value else { return nil }
        return value
    }

    /// Why a task body is refused; `nil` when it is fine (or a validation bug lets it through).
    private static func validate(_ fields: JSONValue, bug: Bug?) -> String? {
        guard case .string(let title) = fields["title"] else { return "title is required, as a text" }
        if title.trimmingCharacters(in: .whitespaces).isEmpty, bug != .acceptsEmptyTitle { return "title must not be empty" }
        if title.count > 100 { return "title must be at most 100 characters" }
        if let done = fields["done"], done.typeName != "boolean", bug != .acceptsWrongType { return "done must be true or false" }
        return nil
    }

    private static func title(_ fields: JSONValue) -> String { fields["title"]?.plainText ?? "" }

    private static func done(_ fields: JSONValue) -> Bool { fields["done"] == .bool(true) }

    private static func json(_ status: HTTPResponse.Status, _ text: String, location: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    private static func problem(_ status: HTTPResponse.Status, _ detail: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/problem+json"],
            body: .init(
                byteBuffer: ByteBuffer(string: #"{"title":\#(quoted(status.reasonPhrase)),"status":\#(status.code),"detail":\#(quoted(detail))}"#)))
    }

    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.fragmentsAllowed])
        let array = data.map { String(decoding: $0, as: UTF8.self) } ?? "[\"\"]"
        return String(array.dropFirst().dropLast())
    }
}
