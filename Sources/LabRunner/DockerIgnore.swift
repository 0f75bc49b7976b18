/// A `.dockerignore` file: which paths of the build folder stay out of the build context. Patterns
/// are matched against paths relative to the folder, in order, the last match deciding (`!` makes
/// an exception); a pattern that matches a folder leaves out everything in it.
public struct DockerIgnore {
    struct Rule {
        let pattern: GlobPattern
        let exception: Bool
    }

    private let rules: [Rule]

    public init(_ text: String) {
        rules = text.split(whereSeparator: \.isNewline).compactMap { raw in
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
            let exception = line.hasPrefix("!")
            if exception { line.removeFirst() }
            while line.hasPrefix("./") { line.removeFirst(2) }
            while line.hasPrefix("/") { line.removeFirst() }
            while line.hasSuffix("/") { line.removeLast() }
            guard !line.isEmpty else { return nil }
            return Rule(pattern: GlobPattern(line), exception: exception)
        }
    }

    /// True when `path` (relative, `/`-separated) is left out of the build context.
    public func excludes(_ path: String) -> Bool {
        let segments = path.split(separator: "/").map(String.init)
        var excluded = false
        for rule in rules {
            // The path itself or a folder it lies in.
            let hit = segments.indices.contains { rule.pattern.matches(segments[...$0].joined(separator: "/")) }
            if hit { excluded = !rule.exception }
        }
        return excluded
    }

    /// True when `path` — a file, or a folder whose contents — stays out of the context.
    public func keepsOut(_ path: String) -> Bool {
        excludes(path) || excludes(path + "/groundwork-sample")
    }
}
