import ContentKit

/// Thrown when the exercises cannot be served; carries every problem so an author can fix them in one go.
public struct InvalidExercises: Error, Sendable, CustomStringConvertible {
    public let problems: [ContentProblem]

    public var description: String {
        (["The SQL exercises are invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"] + problems.map(\.description))
            .joined(separator: "\n")
    }
}
