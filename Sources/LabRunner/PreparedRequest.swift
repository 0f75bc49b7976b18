import Foundation
import LabKit

/// A lab request with every placeholder filled in: exactly what goes on the wire, and the record
/// a failure report (and its curl line) is made from.
struct PreparedRequest: Sendable {
    let method: String
    let url: String
    let headers: [Header]
    let body: Data?
    let followRedirects: Bool

    static let userAgent = "groundwork-lab/1"

    var recorded: RecordedRequest {
        RecordedRequest(
            method: method, url: url, headers: headers, body: body.map { String(decoding: $0, as: UTF8.self) },
            followRedirects: followRedirects)
    }

    /// Fills `spec` from `bindings` and joins its path to `target` (which may carry a path prefix);
    /// a `.browser` client adds the headers a browser sends that the step does not set itself.
    init(_ spec: RequestSpec, target: URL, bindings: Bindings, seed: UInt64, client: LabClient = .api) throws(UnboundValue) {
        let path = try spec.path.renderPath(bindings)
        var base = target.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var headers: [Header] = []
        for header in spec.headers {
            headers.append(Header(name: header.name, value: try header.value.render(bindings)))
        }
        var body: Data?
        var contentType: String?
        switch spec.body {
        case .none:
            break
        case .json(let value):
            body = Data(try value.rendered(bindings).jsonText.utf8)
            contentType = "application/json"
        case .form(let fields):
            var pairs: [String] = []
            for field in fields {
                pairs.append(Template.urlComponent(field.name) + "=" + (try field.value.render(bindings, encode: Template.urlComponent)))
            }
            body = Data(pairs.joined(separator: "&").utf8)
            contentType = "application/x-www-form-urlencoded"
        case .multipart(let parts):
            let boundary = "groundwork-" + String(seed, radix: 16)
            var text = ""
            for part in parts {
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\""
                if let filename = part.filename { text += "; filename=\"\(try filename.render(bindings))\"" }
                text += "\r\n"
                if let type = part.contentType { text += "Content-Type: \(type)\r\n" }
                text += "\r\n" + (try part.value.render(bindings)) + "\r\n"
            }
            body = Data((text + "--\(boundary)--\r\n").utf8)
            contentType = "multipart/form-data; boundary=\(boundary)"
        case .raw(let template):
            body = Data(try template.render(bindings).utf8)
        }
        let names = Set(headers.map { $0.name.lowercased() })
        if let contentType, !names.contains("content-type") { headers.append(Header(name: "Content-Type", value: contentType)) }
        if client == .browser {
            for header in LabClient.browserHeaders where !names.contains(header.name.lowercased()) {
                headers.append(Header(name: header.name, value: header.value))
            }
        } else if !names.contains("user-agent") {
            headers.append(Header(name: "User-Agent", value: Self.userAgent))
        }
        self.init(method: spec.method, url: base + path, headers: headers, body: body, followRedirects: spec.followRedirects)
    }

    init(method: String, url: String, headers: [Header], body: Data?, followRedirects: Bool) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.followRedirects = followRedirects
    }
}
