import Foundation
import Hummingbird

/// Reading a JSON object from a request, with the answers a careful server gives to bodies it
/// cannot use: 415 when the body is not declared as JSON, 400 when it does not parse, 422 when it
/// is JSON but not an object.
enum JSONRequestBody {
    static let maximumBytes = 64 * 1024

    static func object(_ request: Request) async throws -> [String: JSONInput] {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/json") else {
            throw RequestProblem(.unsupportedMediaType, "Send the body as JSON with 'Content-Type: application/json' (got '\(type)')")
        }
        var request = request
        let body = try await request.collectBody(upTo: maximumBytes)
        guard let value = try? JSONDecoder().decode(JSONInput.self, from: Data(buffer: body)) else {
            throw RequestProblem(.badRequest, "The body is not valid JSON")
        }
        guard case .object(let fields) = value else {
            throw RequestProblem(.unprocessableContent, "Send a JSON object")
        }
        return fields
    }
}

extension [String: JSONInput] {
    /// A required non-empty text, at most `maxLength` characters, or a 422 naming the field.
    func text(_ name: String, maxLength: Int = 200) throws(RequestProblem) -> String {
        guard case .text(let text) = self[name], !text.trimmingCharacters(in: .whitespaces).isEmpty, text.count <= maxLength else {
            throw RequestProblem(.unprocessableContent, "'\(name)' is required: a text of 1 to \(maxLength) characters")
        }
        return text
    }

    /// An optional whole number in `range`; `nil` when absent, a 422 naming the field when it is something else.
    func wholeNumber(_ name: String, in range: ClosedRange<Int>) throws(RequestProblem) -> Int? {
        guard let value = self[name] else { return nil }
        guard case .number(let number) = value, number.rounded() == number, let whole = Int(exactly: number), range.contains(whole) else {
            let upper = range.upperBound == .max ? "or more" : "to \(range.upperBound)"
            throw RequestProblem(.unprocessableContent, "'\(name)' must be a whole number from \(range.lowerBound) \(upper)")
        }
        return whole
    }
}
