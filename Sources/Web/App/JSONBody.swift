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

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: AppRequestContext, example: String) async throws -> T {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        if containsNUL(body) {
            throw UserFacingError(.unprocessableContent, "The body contains the NUL character (\\u0000), which text here cannot hold. Remove it and send again.")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
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
    }
}

/// Whether a JSON text holds a NUL: a raw zero byte, or the escape `\u0000` after an odd number of
/// backslashes (`"\\u0000"` is an escaped backslash and the text `u0000`, which is fine).
func containsNUL(_ body: ByteBuffer) -> Bool {
    let bytes = body.readableBytesView
    var backslashes = 0
    var index = bytes.startIndex
    while index < bytes.endIndex {
        let byte = bytes[index]
        if byte == 0 { return true }
        if byte == UInt8(ascii: "\\") {
            backslashes += 1
        } else {
            if byte == UInt8(ascii: "u"), backslashes % 2 == 1, bytes.distance(from: index, to: bytes.endIndex) >= 5,
               bytes[(index + 1)..<(index + 5)].elementsEqual("0000".utf8) {
                return true
            }
            backslashes = 0
        }
        index += 1
    }
    return false
}

extension AppRequestContext {
    /// The learner, or a 401 that says how to authenticate.
    func requireLearner() throws -> User {
        guard let learner else {
            throw UserFacingError(.unauthorized, "Sign in first, or send an API token as 'Authorization: Bearer TOKEN'.",
                                  headers: [.wwwAuthenticate: "Bearer"])
        }
        return learner
    }
}
