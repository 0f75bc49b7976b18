/// One thing wrong with a content file, located so an author can jump to it.
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

/// Thrown when content cannot be served; carries every problem so an author can fix them in one go.
public struct InvalidContent: Error, CustomStringConvertible {
    public let problems: [ContentProblem]

    public var description: String {
        (["Content is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"]
            + problems.map(\.description)).joined(separator: "\n")
    }
}
