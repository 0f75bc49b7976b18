import Foundation
import Hummingbird
import Learning
import Storage

/// Reading and writing JSON bodies with errors that say what to fix.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        response(bytes: try bytes(value), status: status, headers: headers)
    }

    /// A response with a body already encoded by ``bytes(_:)``.
    static func response(bytes: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: bytes))
    }

    static func bytes(_ value: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try encoder.encode(value))
    }

    /// The body as `T`. A NUL character in any text the body sets is refused with 422 (PostgreSQL
    /// cannot store it, and no learner means it); one in a field the API ignores does no harm.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, example: String) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch DecodingError.dataCorrupted(let info) where info.codingPath.isEmpty {
            throw UserFacingError(.badRequest, "The body is not valid JSON. Send an object like \(example).")
        } catch DecodingError.keyNotFound(let key, _) {
            throw UserFacingError(.unprocessableContent, "The field '\(key.stringValue)' is missing. Send an object like \(example).")
        } catch DecodingError.typeMismatch(_, let info), DecodingError.valueNotFound(_, let info), DecodingError.dataCorrupted(let info) {
            let field = info.codingPath.map(\.stringValue).joined(separator: ".")
            throw UserFacingError(.unprocessableContent, "The field '\(field)' has the wrong type or value. Send an object like \(example).")
        } catch {
            throw UserFacingError(.badRequest, "The body could not be read as JSON. Send an object like \(example).")
        }
        if holdsNUL(value) {
            throw UserFacingError(
                .unprocessableContent, "The body contains the NUL character (\\u0000), which text here cannot hold. Remove it and send again.")
        }
        return value
    }
}

/// Whether any text inside `value` (its strings, those of its optionals, collections and nested
/// values) holds the NUL character.
func holdsNUL(_ value: Any) -> Bool {
    if let text = value as? String { return text.utf8.contains(0) }
    return Mirror(reflecting: value).children.contains { holdsNUL($0.value) }
}

extension AppRequestContext {
    /// The learner, or a 401 that says how to authenticate.
    func requireLearner() throws -> User {
        guard let learner else {
            throw UserFacingError(
                .unauthorized, "Sign in first, or send an API token as 'Authorization: Bearer TOKEN'.",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        return learner
    }
}
