import ContentKit
import Yams

/// What only lab files hold: `${name}` templates, JSON paths and regular expressions, each checked
/// as it is read, with its problems reported at the node like every other field.
extension FieldReader {
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
