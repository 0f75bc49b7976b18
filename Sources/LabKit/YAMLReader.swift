import Yams

/// Reads typed fields out of a lab's YAML, recording a located problem for each field that is
/// missing, of the wrong type or unknown (a typo such as `expects:` must not be silently ignored),
/// so one pass reports everything wrong with a file.
struct YAMLReader {
    let path: String
    private(set) var problems: [LabProblem] = []

    init(path: String) {
        self.path = path
    }

    mutating func report(_ message: String, at node: Node?) {
        problems.append(LabProblem(path: path, line: node?.mark?.line ?? 1, message: message))
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
        guard let text = value.scalar?.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report("\(context)field '\(key)' must be a non-empty text", at: value)
            return nil
        }
        return text
    }

    /// A whole number in `range`; absent gives `nil` without a problem unless `required`.
    mutating func int(_ key: String, in node: Node, range: ClosedRange<Int>, required: Bool = false, context: String = "") -> Int? {
        guard let value = node[key] else {
            if required { report("\(context)missing field '\(key)'", at: node) }
            return nil
        }
        guard let number = value.int, range.contains(number) else {
            report("\(context)field '\(key)' must be a whole number from \(range.lowerBound) to \(range.upperBound)", at: value)
            return nil
        }
        return number
    }

    mutating func bool(_ key: String, in node: Node, context: String = "") -> Bool? {
        guard let value = node[key] else { return nil }
        guard let flag = value.bool else {
            report("\(context)field '\(key)' must be true or false", at: value)
            return nil
        }
        return flag
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

    /// The pairs of a mapping field in file order; absent means none.
    mutating func pairs(_ key: String, in node: Node, context: String = "") -> [(key: String, keyNode: Node, value: Node)] {
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

    /// A `${name}` template; problems in it are reported at the node.
    mutating func template(_ node: Node, context: String) -> Template? {
        guard let text = node.scalar?.string else {
            report("\(context)must be a text", at: node)
            return nil
        }
        do {
            return try Template(text)
        } catch {
            report("\(context)\(error.message)", at: node)
            return nil
        }
    }

    mutating func jsonPath(_ node: Node, context: String) -> JSONPath? {
        guard let text = node.scalar?.string else {
            report("\(context)a JSON path must be a text such as $.items[0].id", at: node)
            return nil
        }
        do {
            return try JSONPath(text)
        } catch {
            report("\(context)\(error.message)", at: node)
            return nil
        }
    }

    /// A regular expression that compiles.
    mutating func pattern(_ node: Node, context: String) -> String? {
        guard let text = node.scalar?.string else {
            report("\(context)a pattern must be a text", at: node)
            return nil
        }
        do {
            _ = try Regex(text)
            return text
        } catch {
            report("\(context)'\(text)' is not a valid regular expression: \(error)", at: node)
            return nil
        }
    }
}

extension JSONValue {
    /// The node as JSON: plain scalars become null, booleans or numbers; quoted ones stay texts.
    init(node: Node) {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else {
                self = .string(scalar.string)
                return
            }
            if node.null != nil {
                self = .null
            } else if let flag = node.bool {
                self = .bool(flag)
            } else if let number = node.int {
                self = .number(Double(number))
            } else if let number = node.float, scalar.string.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
                self = .number(number)
            } else {
                self = .string(scalar.string)
            }
        case .sequence(let sequence):
            self = .array(sequence.map(JSONValue.init(node:)))
        case .mapping(let mapping):
            self = .object(mapping.map { (key: $0.key.string ?? "", value: JSONValue(node: $0.value)) })
        case .alias:
            self = .null
        }
    }
}
