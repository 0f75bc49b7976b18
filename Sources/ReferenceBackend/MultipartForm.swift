import Hummingbird

/// A `multipart/form-data` body split into its parts, by hand — what upload middleware such as
/// multer or python-multipart does for a learner's server.
struct MultipartForm {
    /// One field of the form: a file when it has a file name.
    struct Part {
        let name: String
        let filename: String?
        let contentType: String?
        let data: [UInt8]
    }

    let parts: [Part]

    static let maximumBytes = 1 << 20

    /// The parts of the request's body; `nil` when it is not multipart or does not parse.
    static func read(_ request: Request) async throws -> MultipartForm? {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let match = type.firstMatch(of: /boundary="?([^";]+)"?/)
        else { return nil }
        var request = request
        let body = try await request.collectBody(upTo: maximumBytes)
        return parse(Array(body.readableBytesView), boundary: String(match.1))
    }

    static func parse(_ body: [UInt8], boundary: String) -> MultipartForm? {
        let delimiter = Array("--\(boundary)".utf8)
        guard var cursor = body.firstIndex(of: delimiter, from: 0).map({ $0 + delimiter.count }) else { return nil }
        var parts: [Part] = []
        while !body[cursor...].starts(with: Array("--".utf8)) {
            guard body[cursor...].starts(with: [13, 10]),
                let headerEnd = body.firstIndex(of: [13, 10, 13, 10], from: cursor + 2),
                let next = body.firstIndex(of: [13, 10] + delimiter, from: headerEnd + 4)
            else { return nil }
            let headers = String(decoding: body[(cursor + 2)..<headerEnd], as: UTF8.self)
            guard let part = part(headers: headers, data: Array(body[(headerEnd + 4)..<next])) else { return nil }
            parts.append(part)
            cursor = next + 2 + delimiter.count
        }
        return MultipartForm(parts: parts)
    }

    private static func part(headers: String, data: [UInt8]) -> Part? {
        var disposition = ""
        var contentType: String?
        for line in headers.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0].lowercased() {
            case "content-disposition": disposition = pair[1]
            case "content-type": contentType = pair[1]
            default: break
            }
        }
        guard let name = disposition.firstMatch(of: /(?:^|;)\s*name="([^"]*)"/) else { return nil }
        let filename = disposition.firstMatch(of: /;\s*filename="([^"]*)"/).map { String($0.1) }
        return Part(name: String(name.1), filename: filename, contentType: contentType, data: data)
    }
}

extension [UInt8] {
    /// Where `pattern` first occurs at or after `start`.
    func firstIndex(of pattern: [UInt8], from start: Int) -> Int? {
        guard !pattern.isEmpty, count >= pattern.count, start <= count - pattern.count else { return nil }
        return (start...(count - pattern.count)).first { self[$0..<($0 + pattern.count)].elementsEqual(pattern) }
    }
}
