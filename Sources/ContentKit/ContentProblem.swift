/// One thing wrong with a content file (a topic, a lab, a SQL exercise), located so an author can
/// jump to it. Every content checker reports these, so `groundwork content check`, `labs check` and
/// `sql check` all print the same `path:line: message`.
public struct ContentProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let message: String

    public init(path: String, line: Int, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: message`, the format editors and CI logs understand.
    public var description: String { "\(path):\(line): \(message)" }
}
