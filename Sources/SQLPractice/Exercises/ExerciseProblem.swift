/// One thing wrong with an exercise file, located so an author can jump to it.
public struct ExerciseProblem: Error, Sendable, Equatable, CustomStringConvertible {
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

/// Thrown when the exercises cannot be served; carries every problem so an author can fix them in one go.
public struct InvalidExercises: Error, Sendable, CustomStringConvertible {
    public let problems: [ExerciseProblem]

    public var description: String {
        (["The SQL exercises are invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"] + problems.map(\.description))
            .joined(separator: "\n")
    }
}
