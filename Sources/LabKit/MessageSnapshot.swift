import Foundation

/// An HTTP message as received — an answer from the learner's server, or a call it made to a
/// webhook — in the shape the checks read. Pure data, so every check can be tested without a socket.
public struct MessageSnapshot: Sendable {
    /// `nil` for a request received by a webhook.
    public let status: Int?
    public let headers: [(name: String, value: String)]
    public let body: Data
    public let elapsedMS: Int
    /// When the message arrived: what "now" means to a `near_now_ms` check.
    public let receivedAt: Date

    public init(status: Int?, headers: [(name: String, value: String)], body: Data, elapsedMS: Int = 0, receivedAt: Date = Date()) {
        self.status = status
        self.headers = headers
        self.body = body
        self.elapsedMS = elapsedMS
        self.receivedAt = receivedAt
    }

    /// Every value of a header, joined with ", " as HTTP allows; `nil` when absent.
    public func header(_ name: String) -> String? {
        let values = headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        return values.isEmpty ? nil : values.joined(separator: ", ")
    }

    public var json: JSONValue? { JSONValue.parse(body) }

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The start of the body, on one line, for messages; an HTML page is told by its title and
    /// first line of text rather than its markup.
    var excerpt: String {
        if let page = pageSummary { return page }
        let text = self.text
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }

    /// "an HTML page: title: … — first line" when the body is a web page, else `nil`.
    var pageSummary: String? {
        HTMLSummary.lines(of: text, contentType: header("content-type")).map { "an HTML page: " + $0.prefix(2).joined(separator: " — ") }
    }
}
