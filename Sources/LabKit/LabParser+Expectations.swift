import Yams

/// Reading `expect:` and `capture:`.
extension LabParser {
    mutating func parseExpectation(_ node: Node, context: String) -> Expectation {
        var expectation = Expectation()
        guard reader.mapping(node, known: ["status", "headers", "json", "body", "max_ms", "min_ms"], context: context) else { return expectation }
        if let status = node["status"] {
            expectation.status = parseStatus(status, context: context)
        }
        expectation.headers = reader.pairs("headers", in: node, context: context).compactMap { pair in
            parseHeaderCheck(name: pair.key, node: pair.value, context: context)
        }
        expectation.json = reader.sequence("json", in: node, context: context).flatMap { item in
            parseJSONChecks(item, context: context + "json: ")
        }
        if let body = node["body"] {
            expectation.body = parseBodyRules(body, context: context + "body: ")
        }
        expectation.maxMS = reader.int("max_ms", in: node, range: 1...60_000, context: context)
        expectation.minMS = reader.int("min_ms", in: node, range: 1...60_000, context: context)
        return expectation
    }

    private mutating func parseStatus(_ node: Node, context: String) -> StatusRule? {
        let help = "'status' must be a code (201), a list of codes ([400, 422]) or a class (2xx)"
        if let code = node.int, (100...599).contains(code) { return .exact(code) }
        if let codes = node.sequence?.compactMap(\.int), codes.count == node.sequence?.count, !codes.isEmpty,
            codes.allSatisfy({ (100...599).contains($0) })
        {
            return .oneOf(codes)
        }
        if let text = node.scalar?.string.lowercased(), let match = text.wholeMatch(of: /([1-5])xx/), let digit = Int(match.1) {
            return .classOf(digit)
        }
        reader.report(context + help, at: node)
        return nil
    }

    mutating func parseHeaderCheck(name: String, node: Node, context: String) -> HeaderCheck? {
        let context = "\(context)header \(name): "
        if node.scalar != nil {
            return checkedTemplate(node, context: context).map { HeaderCheck(name: name, rule: .equals($0)) }
        }
        let rules = ["equals", "contains", "matches", "present", "absent"]
        guard reader.mapping(node, known: rules, context: context) else { return nil }
        let given = rules.filter { node[$0] != nil }
        guard given.count == 1, let key = given.first, let value = node[key] else {
            reader.report("\(context)give exactly one of \(rules.joined(separator: ", "))", at: node)
            return nil
        }
        switch key {
        case "equals": return checkedTemplate(value, context: context).map { HeaderCheck(name: name, rule: .equals($0)) }
        case "contains": return checkedTemplate(value, context: context).map { HeaderCheck(name: name, rule: .contains($0)) }
        case "matches": return reader.pattern(value, context: context).map { HeaderCheck(name: name, rule: .matches($0)) }
        default:
            guard value.bool == true else {
                reader.report("\(context)'\(key)' takes the value true", at: value)
                return nil
            }
            return HeaderCheck(name: name, rule: key == "present" ? .present : .absent)
        }
    }

    mutating func parseJSONChecks(_ node: Node, context: String) -> [JSONCheck] {
        let rules = ["equals", "one_of", "contains", "type", "length", "matches", "gt", "lt", "exists", "near_now_ms"]
        guard reader.mapping(node, known: ["path"] + rules, context: context) else { return [] }
        guard let pathNode = node["path"] else {
            reader.report("\(context)missing field 'path' (where in the body, e.g. $.id)", at: node)
            return []
        }
        guard let path = reader.jsonPath(pathNode, context: context) else { return [] }
        let given = rules.filter { node[$0] != nil }
        if given.isEmpty { reader.report("\(context)\(path): say what to check (\(rules.joined(separator: ", ")))", at: node) }
        return given.compactMap { key -> JSONCheck? in
            let value = node[key]!
            let context = "\(context)\(path) \(key): "
            switch key {
            case "equals", "contains":
                let expected = JSONValue(node: value)
                checkNames(expected.templateNames, at: value, context: context)
                return JSONCheck(path: path, rule: key == "equals" ? .equals(expected) : .contains(expected))
            case "one_of":
                guard let items = value.sequence, items.count >= 2 else {
                    reader.report("\(context)must be a list of two or more values", at: value)
                    return nil
                }
                let expected = items.map(JSONValue.init(node:))
                checkNames(expected.flatMap(\.templateNames), at: value, context: context)
                return JSONCheck(path: path, rule: .oneOf(expected))
            case "type":
                guard let type = value.scalar?.string, JSONCheck.typeNames.contains(type) else {
                    reader.report("\(context)use one of \(JSONCheck.typeNames.joined(separator: ", "))", at: value)
                    return nil
                }
                return JSONCheck(path: path, rule: .type(type))
            case "length":
                guard let count = value.int, count >= 0 else {
                    reader.report("\(context)must be a whole number, 0 or more", at: value)
                    return nil
                }
                return JSONCheck(path: path, rule: .length(count))
            case "matches":
                return reader.pattern(value, context: context).map { JSONCheck(path: path, rule: .matches($0)) }
            case "near_now_ms":
                guard let window = value.int, window > 0 else {
                    reader.report("\(context)must be a whole number of milliseconds, more than 0 (86400000 is a day)", at: value)
                    return nil
                }
                return JSONCheck(path: path, rule: .nearNow(window))
            case "gt", "lt":
                guard let bound = value.float else {
                    reader.report("\(context)must be a number", at: value)
                    return nil
                }
                return JSONCheck(path: path, rule: key == "gt" ? .greaterThan(bound) : .lessThan(bound))
            default:
                guard let flag = value.bool else {
                    reader.report("\(context)must be true or false", at: value)
                    return nil
                }
                return JSONCheck(path: path, rule: .exists(flag))
            }
        }
    }

    mutating func parseBodyRules(_ node: Node, context: String) -> [BodyRule] {
        guard reader.mapping(node, known: ["contains", "not_contains", "equals", "matches", "empty"], context: context) else { return [] }
        var rules: [BodyRule] = []
        if let matches = node["matches"], let pattern = reader.pattern(matches, context: context) { rules.append(.matches(pattern)) }
        if let contains = node["contains"], let template = checkedTemplate(contains, context: context) { rules.append(.contains(template)) }
        if let unwanted = node["not_contains"], let template = checkedTemplate(unwanted, context: context) { rules.append(.notContains(template)) }
        if let equals = node["equals"], let template = checkedTemplate(equals, context: context) { rules.append(.equals(template)) }
        if let empty = node["empty"] {
            if empty.bool == true { rules.append(.empty) } else { reader.report("\(context)'empty' takes the value true", at: empty) }
        }
        return rules
    }

    // MARK: captures

    mutating func parseCapture(name: String, keyNode: Node, node: Node, context: String) -> Capture? {
        let context = "\(context)capture \(name): "
        guard name.isValueName else {
            reader.report("\(context)the name must be letters, digits and _ (it is used as ${\(name)})", at: keyNode)
            return nil
        }
        if randomNames.contains(name) {
            reader.report("\(context)'\(name)' is already a random value: choose another name", at: keyNode)
        }
        // Known even when the rest is wrong, so its uses are not reported as well.
        known.insert(name)
        guard reader.mapping(node, known: ["json", "header", "pattern"], context: context) else { return nil }
        let pattern = node["pattern"].flatMap { reader.pattern($0, context: context) }
        let source: Capture.Source
        switch (node["json"], node["header"]) {
        case (.some(let path), .none):
            guard let parsed = reader.jsonPath(path, context: context) else { return nil }
            source = .json(parsed)
        case (.none, .some(let header)):
            guard let header = header.scalar?.string, !header.isEmpty else {
                reader.report("\(context)'header' must name a header", at: node["header"])
                return nil
            }
            source = .header(header)
        default:
            reader.report("\(context)give either 'json' (a path such as $.id) or 'header' (a header name)", at: node)
            return nil
        }
        return Capture(name: name, source: source, pattern: pattern)
    }
}
