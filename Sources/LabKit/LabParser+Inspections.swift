import Yams

/// Reading `check:` steps — the built-in inspections of a git repository or a container setup —
/// and their `with:` parameters.
extension LabParser {
    mutating func parseInspectionStep(_ node: Node, context: String) -> Inspection? {
        for key in ["request", "probe", "expect", "capture", "poll_ms", "wait_ms"] where node[key] != nil {
            let why =
                subject == .http
                ? "a step has either 'check' or '\(key)', not both"
                : "a lab with 'subject: \(subject.rawValue)' checks no HTTP server: its steps are 'check:' steps, so '\(key)' does not apply"
            reader.report("\(context)\(why)", at: node[key])
        }
        let allowed = InspectionKind.allCases.filter { $0.subject == subject }.map(\.rawValue)
        guard let kindNode = node["check"] else {
            reader.report("\(context)a step needs 'check:' (one of \(allowed.joined(separator: ", ")))", at: node)
            return nil
        }
        guard let text = kindNode.scalar?.string, let kind = InspectionKind(rawValue: text) else {
            reader.report(
                "\(context)unknown check '\(kindNode.scalar?.string ?? "")' (a lab with 'subject: \(subject.rawValue)' may use: "
                    + "\(allowed.isEmpty ? "none" : allowed.joined(separator: ", ")))", at: kindNode)
            return nil
        }
        guard kind.subject == subject else {
            reader.report(
                "\(context)check '\(text)' inspects a \(kind.subject.rawValue) subject, but this lab has 'subject: \(subject.rawValue)' "
                    + "(set 'subject: \(kind.subject.rawValue)' or use one of: \(allowed.joined(separator: ", ")))", at: kindNode)
            return nil
        }
        let context = "\(context)check \(text): "
        let shapes = kind.parameters
        var parameters: [String: InspectionValue] = [:]
        if let withNode = node["with"] {
            guard shapes.isEmpty == false else {
                reader.report("\(context)this check takes no parameters: remove 'with:'", at: withNode)
                return nil
            }
            guard reader.mapping(withNode, known: shapes.keys.sorted(), context: context) else { return nil }
            for (key, shape) in shapes {
                guard let valueNode = withNode[key] else { continue }
                switch shape {
                case .text:
                    guard let template = checkedTemplate(valueNode, context: context + "\(key): ") else { return nil }
                    parameters[key] = .text(template)
                case .number:
                    guard let number = reader.int(key, in: withNode, range: 1...3_600_000, context: context) else { return nil }
                    parameters[key] = .number(number)
                case .list:
                    guard let items = valueNode.sequence, !items.isEmpty else {
                        reader.report("\(context)'\(key)' must be a list of at least one text", at: valueNode)
                        return nil
                    }
                    let templates = items.compactMap { checkedTemplate($0, context: context + "\(key): ") }
                    guard templates.count == items.count else { return nil }
                    parameters[key] = .list(templates)
                }
            }
        }
        let missing = kind.requiredParameters.filter { parameters[$0] == nil }
        guard missing.isEmpty else {
            reader.report("\(context)missing \(missing.map { "'\($0)'" }.joined(separator: ", ")) under 'with:'", at: node["with"] ?? kindNode)
            return nil
        }
        return Inspection(kind: kind, parameters: parameters)
    }
}
