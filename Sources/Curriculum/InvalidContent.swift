import ContentKit

/// Thrown when content cannot be served; carries every problem so an author can fix them in one go.
public struct InvalidContent: Error, CustomStringConvertible {
    public let problems: [ContentProblem]

    public var description: String {
        (["Content is invalid (\(problems.count) problem\(problems.count == 1 ? "" : "s")):"]
            + problems.map(\.description)).joined(separator: "\n")
    }
}
