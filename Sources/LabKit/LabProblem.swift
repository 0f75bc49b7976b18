/// One thing wrong with a lab file, located so an author can jump to it.
public struct LabProblem: Error, Sendable, Equatable, CustomStringConvertible {
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

/// Thrown when a lab cannot be run; carries every problem so an author can fix them in one go.
public struct InvalidLab: Error, Sendable, CustomStringConvertible {
    public let problems: [LabProblem]

    public init(problems: [LabProblem]) {
        self.problems = problems
    }

    public var description: String {
        (["The lab is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"] + problems.map(\.description))
            .joined(separator: "\n")
    }
}
