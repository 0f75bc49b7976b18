import Yams

/// Reads typed fields out of a content file's YAML, recording a located problem for each field
/// that is missing, of the wrong type or unknown (a typo such as `seen-in:` or `hint:` must not be
/// silently ignored), so one pass reports everything wrong with a file. Topics, labs and SQL
/// exercises all read their files with it.
public struct FieldReader {
    public let path: String
    /// Lines before the YAML in the file (a topic's front matter starts after `---`).
    public let lineOffset: Int
    public private(set) var problems: [ContentProblem] = []

    public init(path: String, lineOffset: Int = 0) {
        self.path = path
        self.lineOffset = lineOffset
    }

    /// The file line of `node` (1 when there is none).
    public func line(of node: Node?) -> Int {
        (node?.mark?.line ?? 1) + lineOffset
    }

    public mutating func report(_ message: String, at node: Node?) {
        problems.append(ContentProblem(path: path, line: line(of: node), message: message))
    }

    /// Reports keys of `node` that are not in `known`; `false` when `node` is not a mapping.
    @discardableResult
    public mutating func mapping(_ node: Node, known: [String], context: String = "") -> Bool {
        guard let mapping = node.mapping else {
            report("\(context)must be a mapping of fields (\(known.joined(separator: ", ")))", at: node)
            return false
        }
        for key in mapping.keys where !known.contains(key.string ?? "") {
            report("\(context)unknown field '\(key.string ?? "?")' (known fields: \(known.joined(separator: ", ")))", at: key)
        }
        return true
    }

    /// A non-empty text; `trimmed` drops surrounding white space and line breaks (a YAML block
    /// ends with one).
    public mutating func string(_ key: String, in node: Node, required: Bool = true, trimmed: Bool = false, context: String = "") -> String? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return nil
        }
        guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report("\(context)field '\(key)' must be a non-empty text", at: value)
            return nil
        }
        return trimmed ? text.trimmingCharacters(in: .whitespacesAndNewlines) : text
    }

    /// A whole number, in `range` if one is given; absent gives `nil` without a problem unless `required`.
    public mutating func int(
        _ key: String, in node: Node, range: ClosedRange<Int>? = nil, required: Bool = false,
        context: String = ""
    ) -> Int? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return nil
        }
        guard let number = value.int, range?.contains(number) ?? true else {
            let expected = range.map { "a whole number from \($0.lowerBound) to \($0.upperBound)" } ?? "a whole number"
            report("\(context)field '\(key)' must be \(expected)", at: value)
            return nil
        }
        return number
    }

    public mutating func bool(_ key: String, in node: Node, required: Bool = false, context: String = "") -> Bool? {
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

    /// A sequence field; absent means empty unless `required`.
    public mutating func sequence(_ key: String, in node: Node, required: Bool = false, context: String = "") -> [Node] {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return []
        }
        guard let items = value.sequence else {
            report("\(context)field '\(key)' must be a list", at: value)
            return []
        }
        return Array(items)
    }

    /// A list of non-empty texts (trimmed), each with its file line; absent means empty.
    public mutating func strings(_ key: String, in node: Node, context: String = "") -> [(value: String, line: Int)] {
        sequence(key, in: node, context: context).compactMap { item in
            guard let text = item.scalar?.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                report("\(context)every entry of '\(key)' must be a non-empty text", at: item)
                return nil
            }
            return (text.trimmingCharacters(in: .whitespacesAndNewlines), line(of: item))
        }
    }

    /// The pairs of a mapping field in file order; absent means none.
    public mutating func pairs(_ key: String, in node: Node, context: String = "") -> [(key: String, keyNode: Node, value: Node)] {
        guard let value = node[key] else { return [] }
        guard let mapping = value.mapping else {
            report("\(context)field '\(key)' must be a mapping (name: value)", at: value)
            return []
        }
        return mapping.compactMap { pair in
            guard let name = pair.key.string else {
                report("\(context)'\(key)' keys must be texts", at: pair.key)
                return nil
            }
            return (name, pair.key, pair.value)
        }
    }
}
