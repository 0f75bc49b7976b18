import Yams

/// Reads typed fields out of an exercise file's YAML, recording a located problem for each field
/// that is missing, of the wrong type or unknown (a typo such as `hint:` must not be silently
/// ignored), so one pass reports everything wrong with a file.
struct ExerciseReader {
    let path: String
    private(set) var problems: [ExerciseProblem] = []

    init(path: String) {
        self.path = path
    }

    mutating func report(_ message: String, at node: Node?) {
        problems.append(ExerciseProblem(path: path, line: (node?.mark?.line ?? 1), message: message))
    }

    /// Reports keys of `node` that are not in `known`; `false` when `node` is not a mapping.
    @discardableResult
    mutating func mapping(_ node: Node, known: [String], context: String) -> Bool {
        guard let mapping = node.mapping else {
            report("\(context)must be a mapping of fields (\(known.joined(separator: ", ")))", at: node)
            return false
        }
        for key in mapping.keys where !known.contains(key.string ?? "") {
            report("\(context)unknown field '\(key.string ?? "?")' (known fields: \(known.joined(separator: ", ")))", at: key)
        }
        return true
    }

    mutating func string(_ key: String, in node: Node, required: Bool = true, context: String = "") -> String? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return nil
        }
        guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report("\(context)field '\(key)' must be a non-empty text", at: value)
            return nil
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A whole number in `range`; absent gives `nil` without a problem.
    mutating func int(_ key: String, in node: Node, range: ClosedRange<Int>, context: String = "") -> Int? {
        guard let value = node[key] else { return nil }
        guard let number = value.int, range.contains(number) else {
            report("\(context)field '\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: value)
            return nil
        }
        return number
    }

    mutating func bool(_ key: String, in node: Node, required: Bool = false, context: String = "") -> Bool? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)' (true or false)", at: node) }
            return nil
        }
        guard let flag = value.bool else {
            report("\(context)field '\(key)' must be true or false", at: value)
            return nil
        }
        return flag
    }

    /// A list of non-empty texts; absent means empty.
    mutating func strings(_ key: String, in node: Node, context: String = "") -> [String] {
        guard let value = node[key] else { return [] }
        guard let items = value.sequence else {
            report("\(context)field '\(key)' must be a list", at: value)
            return []
        }
        return items.compactMap { item in
            guard let text = item.scalar?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                report("\(context)every entry of '\(key)' must be a non-empty text", at: item)
                return nil
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
