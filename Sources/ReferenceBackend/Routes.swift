import Foundation
import Hummingbird

/// Route registration that answers 405 with an `Allow` header for a known path and an unknown
/// method, as HTTP requires (Hummingbird's router alone would answer 404).
struct Routes {
    let router: Router<BasicRequestContext>
    /// The mutant that forgets the `Allow` header, or answers 404 instead of 405.
    var allowHeader = true
    var methodNotAllowed = true

    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response

    static let allMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]

    /// Registers `handlers` on `path`; HEAD is answered like GET without the body when `autoHead`.
    func add(_ path: RouterPath, autoHead: Bool = true, _ handlers: [HTTPRequest.Method: Handler]) {
        var allowed = Set(handlers.keys)
        for (method, handler) in handlers {
            router.on(path, method: method, use: handler)
        }
        if autoHead, let get = handlers[.get] {
            allowed.insert(.head)
            router.on(path, method: .head) { request, context in
                let response = try await get(request, context)
                var headers = response.headers
                if let length = response.body.contentLength { headers[.contentLength] = String(length) }
                return Response(status: response.status, headers: headers, body: .init())
            }
        }
        let allow = Self.allMethods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
        for method in Self.allMethods where !allowed.contains(method) {
            router.on(path, method: method) { [allowHeader, methodNotAllowed] _, _ in
                guard methodNotAllowed else { return JSON.error(.notFound, "Not found") }
                return JSON.error(.methodNotAllowed, "Method not allowed here; use \(allow)", headers: allowHeader ? [.allow: allow] : [:])
            }
        }
    }
}

/// JSON answers and a small JSON reader, written the way a learner's server would: by hand,
/// independent of the lab engine that judges it.
enum JSON {
    static func response(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) -> Response {
        response(["error": message], status: status, headers: headers)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// An error answer a handler throws: the status and a JSON body `{"error": "…"}` saying what to fix.
struct RequestProblem: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSON.error(status, message)
    }
}

/// A JSON value as the reference backend reads request bodies: booleans, numbers and texts kept apart.
enum JSONInput: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case text(String)
    case list([JSONInput])
    case object([String: JSONInput])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else if let value = try? container.decode([JSONInput].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: JSONInput].self))
        }
    }
}
