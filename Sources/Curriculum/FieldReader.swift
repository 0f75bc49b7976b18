import Yams

/// Reads typed fields out of a YAML mapping, recording a located problem for each one that is
/// missing or of the wrong type, so one pass reports everything wrong with a file.
struct FieldReader {
    let path: String
    let lineOffset: Int
    private(set) var problems: [ContentProblem] = []

    init(path: String, lineOffset: Int) {
        self.path = path
        self.lineOffset = lineOffset
    }

    mutating func report(_ message: String, at node: Node?) {
        problems.append(ContentProblem(path: path, line: node?.line(offset: lineOffset) ?? 1 + lineOffset, message: message))
    }

    mutating func string(_ key: String, in node: Node, required: Bool = true, context: String = "") -> String? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return nil
        }
        guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report("\(context)field '\(key)' must be a non-empty text", at: value)
            return nil
        }
        return text
    }

    mutating func int(_ key: String, in node: Node, context: String = "") -> Int? {
        guard let value = node[key] else {
            report("\(context)missing field '\(key)'", at: node)
            return nil
        }
        guard let number = value.int else {
            report("\(context)field '\(key)' must be a whole number", at: value)
            return nil
        }
        return number
    }

    /// A sequence field; absent means empty unless `required`.
    mutating func sequence(_ key: String, in node: Node, required: Bool = false, context: String = "") -> [Node] {
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

    /// A list of plain strings, each with its file line.
    mutating func strings(_ key: String, in node: Node) -> [(value: String, line: Int)] {
        sequence(key, in: node).compactMap { item in
            guard let text = item.scalar?.string, !text.isEmpty else {
                report("every entry of '\(key)' must be a text", at: item)
                return nil
            }
            return (text, item.line(offset: lineOffset))
        }
    }
}
