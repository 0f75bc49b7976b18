import ContentKit

/// Thrown when a lab cannot be run; carries every problem so an author can fix them in one go.
public struct InvalidLab: Error, Sendable, CustomStringConvertible {
    public let problems: [ContentProblem]

    public init(problems: [ContentProblem]) {
        self.problems = problems
    }

    public var description: String {
        (["The lab is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"] + problems.map(\.description))
            .joined(separator: "\n")
    }
}
