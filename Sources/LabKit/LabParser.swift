import ContentKit
import Yams

/// Turns a lab file's YAML into a ``Lab``, reporting every problem at its line.
///
/// Fields are read in run order, so a `${name}` is checked where it is written: it must be a
/// random value or a capture of an earlier step (stages run in order, so a later stage may use
/// what an earlier one captured).
struct LabParser {
    var reader: FieldReader
    /// Names a template may use at the point being read.
    var known: Set<String> = []
    var randomNames: Set<String> = []
    /// The `client:` of the lab, or of the stage being read: whom its steps stand in for, and so
    /// whether they follow redirects unless they say.
    var client: LabClient = .api
    /// The lab's `follows:`, the only suite a `beyond:` may name.
    var follows: String?
    /// What the lab checks; a lab that checks no HTTP server has `check:` steps only.
    var subject: LabSubject = .http

    static let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    static let defaultTimeoutMS = 5000

    init(path: String) {
        reader = FieldReader(path: path)
    }

    mutating func parse(_ root: Node, brief: String) -> Lab? {
        reader.mapping(
            root,
            known: [
                "id", "title", "summary", "topics", "timeout_ms", "client", "follows", "random", "stages",
                "difficulty", "minutes", "subject",
            ], context: "")
        let id = reader.string("id", in: root)
        let title = reader.string("title", in: root)
        let summary = reader.string("summary", in: root)
        let topics = reader.sequence("topics", in: root).compactMap { node -> String? in
            guard let topic = node.scalar?.string, topic.isStableID else {
                reader.report("every topic must be a topic id (lowercase letters, digits and dashes)", at: node)
                return nil
            }
            return topic
        }
        let timeout = reader.int("timeout_ms", in: root, range: 100...60_000) ?? Self.defaultTimeoutMS
        if let text = reader.string("subject", in: root, required: false) {
            if let chosen = LabSubject(rawValue: text) {
                subject = chosen
            } else {
                reader.report("subject '\(text)' must be one of: \(LabSubject.allCases.map(\.rawValue).joined(separator: ", "))", at: root["subject"])
            }
        }
        client = parseClient(root, context: "") ?? .api
        follows = reader.string("follows", in: root, required: false)
        var difficulty: Lab.Difficulty?
        if let text = reader.string("difficulty", in: root, required: false) {
            difficulty = Lab.Difficulty(rawValue: text)
            if difficulty == nil {
                let allowed = Lab.Difficulty.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report("difficulty '\(text)' must be one of: \(allowed)", at: root["difficulty"])
            }
        }
        let minutes = reader.int("minutes", in: root, range: 5...6_000)
        let randomValues = reader.pairs("random", in: root).compactMap { pair -> (name: String, kind: RandomValue)? in
            guard pair.key.isValueName else {
                reader.report("random value name '\(pair.key)' must be letters, digits and _ (it is used as ${\(pair.key)})", at: pair.keyNode)
                return nil
            }
            if randomNames.contains(pair.key) {
                reader.report(
                    "random value name '\(pair.key)' is already taken (a date binds NAME_unix, NAME_utc, NAME_text, NAME_long and NAME_eve_text)",
                    at: pair.keyNode)
            }
            // Known even when its form is wrong, so its uses are not reported as well.
            known.insert(pair.key)
            randomNames.insert(pair.key)
            guard let text = pair.value.scalar?.string, let kind = RandomValue(text) else {
                reader.report("random value '\(pair.key)': use one of \(RandomValue.forms)", at: pair.value)
                return nil
            }
            for derived in kind.derivedNames(of: pair.key) {
                if randomNames.contains(derived) {
                    reader.report("random value '\(pair.key)' binds ${\(derived)}, but that name is already taken", at: pair.keyNode)
                }
                known.insert(derived)
                randomNames.insert(derived)
            }
            return (pair.key, kind)
        }
        let stageNodes = reader.sequence("stages", in: root, required: true)
        if root["stages"] != nil, stageNodes.isEmpty {
            reader.report("a lab needs at least one stage under 'stages:'", at: root["stages"])
        }
        let stages = stageNodes.enumerated().compactMap { index, node in parseStage(node, number: index + 1) }
        guard let id, let title, let summary, stages.count == stageNodes.count else { return nil }
        return Lab(
            id: id, title: title, summary: summary, topics: topics, brief: brief,
            randomValues: randomValues, defaultTimeoutMS: timeout, client: client, follows: follows, stages: stages,
            difficulty: difficulty, minutes: minutes, subject: subject)
    }

    // MARK: stages and steps

    private mutating func parseStage(_ node: Node, number: Int) -> LabStage? {
        let context = "stage \(number): "
        guard reader.mapping(node, known: ["id", "title", "goal", "hint", "beyond", "client", "steps"], context: context) else { return nil }
        let beyond = parseBeyond(node, context: context)
        let labClient = client
        defer { client = labClient }
        client = parseClient(node, context: context) ?? labClient
        let id = reader.string("id", in: node, context: context)
        if let id, !id.isStableID {
            reader.report("\(context)id '\(id)' must be lowercase letters, digits and dashes", at: node["id"])
        }
        let title = reader.string("title", in: node, context: context)
        let goal = reader.string("goal", in: node, context: context)
        let hint = reader.string("hint", in: node, context: context)
        let stepNodes = reader.sequence("steps", in: node, required: true, context: context)
        if node["steps"] != nil, stepNodes.isEmpty { reader.report("\(context)a stage needs at least one step", at: node["steps"]) }
        let steps = stepNodes.enumerated().compactMap { index, step in parseStep(step, context: "\(context)step \(index + 1): ") }
        guard let id, let title, let goal, let hint, steps.count == stepNodes.count else { return nil }
        return LabStage(id: id, title: title, goal: goal, hint: hint, beyond: beyond, steps: steps)
    }

    private mutating func parseStep(_ node: Node, context: String) -> Step? {
        let name = node.mapping == nil ? nil : reader.string("name", in: node, context: context)
        let context = name.map { "\(context)'\($0)': " } ?? context
        guard
            reader.mapping(
                node, known: ["name", "request", "expect", "capture", "timeout_ms", "poll_ms", "wait_ms", "beyond", "probe", "with", "check"],
                context: context
            )
        else { return nil }
        let beyond = parseBeyond(node, context: context)
        let timeout = reader.int("timeout_ms", in: node, range: 100...60_000, context: context)
        if subject != .http || node["check"] != nil {
            guard let name, let inspection = parseInspectionStep(node, context: context) else { return nil }
            return Step(name: name, action: .inspect(inspection), timeoutMS: timeout, beyond: beyond, client: client)
        }
        let poll = reader.int("poll_ms", in: node, range: 100...60_000, context: context)
        let wait = reader.int("wait_ms", in: node, range: 1...10_000, context: context)
        if node["poll_ms"] != nil, node["probe"] != nil {
            reader.report("\(context)'poll_ms' repeats a request until it passes; a probe does its own repeating", at: node["poll_ms"])
        }
        let action: Step.Action?
        switch (node["request"], node["probe"]) {
        case (.some, .some):
            reader.report("\(context)a step has either 'request' or 'probe', not both", at: node["probe"])
            action = nil
        case (.some, .none):
            if node["with"] != nil { reader.report("\(context)'with' belongs to a probe; this step sends a request", at: node["with"]) }
            action = parseCheck(node, context: context, allowCaptures: true).map(Step.Action.request)
        case (.none, .some(let probe)):
            for key in ["expect", "capture"] where node[key] != nil {
                reader.report("\(context)'\(key)' goes inside the probe's 'with:'", at: node[key])
            }
            action = parseProbe(probe, with: node["with"], context: context).map(Step.Action.probe)
        case (.none, .none):
            reader.report("\(context)a step needs 'request:' (an HTTP request) or 'probe:' (one of \(Probe.names.joined(separator: ", ")))", at: node)
            action = nil
        }
        guard let name, let action else { return nil }
        return Step(name: name, action: action, timeoutMS: timeout, pollMS: poll, waitMS: wait, beyond: beyond, client: client)
    }

    /// `client: api|browser` of a lab or a stage; `nil` when not given (or wrong, and reported).
    private mutating func parseClient(_ node: Node, context: String) -> LabClient? {
        guard let clientNode = node["client"] else { return nil }
        guard let name = clientNode.scalar?.string, let chosen = LabClient(rawValue: name) else {
            reader.report("\(context)'client' must be one of \(LabClient.allCases.map(\.rawValue).joined(separator: ", "))", at: clientNode)
            return nil
        }
        return chosen
    }

    /// `beyond: SUITE` marks a check stricter than the public suite the lab `follows:`.
    private mutating func parseBeyond(_ node: Node, context: String) -> String? {
        guard let beyondNode = node["beyond"] else { return nil }
        let suite = reader.string("beyond", in: node, context: context)
        guard let follows else {
            reader.report("\(context)'beyond' marks a check stricter than the suite the lab follows, but the lab has no 'follows:'", at: beyondNode)
            return nil
        }
        if let suite, suite != follows {
            reader.report("\(context)'beyond: \(suite)' must name the suite the lab follows ('\(follows)')", at: beyondNode)
        }
        return suite
    }

    /// `request:` + `expect:` (+ `capture:`) in `node`; `extra` names are usable in the request only.
    mutating func parseCheck(_ node: Node, context: String, allowCaptures: Bool, extra: Set<String> = []) -> RequestCheck? {
        guard let requestNode = node["request"] else {
            reader.report("\(context)missing field 'request'", at: node)
            return nil
        }
        let request = withNames(extra) { $0.parseRequest(requestNode, context: context) }
        let expectation = node["expect"].map { parseExpectation($0, context: context + "expect: ") } ?? Expectation()
        var captures: [Capture] = []
        if allowCaptures {
            captures = reader.pairs("capture", in: node, context: context).compactMap { pair in
                parseCapture(name: pair.key, keyNode: pair.keyNode, node: pair.value, context: context)
            }
        } else if node["capture"] != nil {
            reader.report("\(context)a probe keeps no values: 'capture' is not allowed here", at: node["capture"])
        }
        guard let request else { return nil }
        return RequestCheck(request: request, expectation: expectation, captures: captures)
    }

    private mutating func withNames<T>(_ extra: Set<String>, _ body: (inout LabParser) -> T) -> T {
        let saved = known
        known.formUnion(extra)
        let result = body(&self)
        known = saved
        return result
    }

    // MARK: requests

    mutating func parseRequest(_ node: Node, context: String) -> RequestSpec? {
        let bodyKeys = ["json", "form", "multipart", "body"]
        guard reader.mapping(node, known: ["method", "path", "headers", "follow_redirects"] + bodyKeys, context: context + "request: ") else {
            return nil
        }
        let method = reader.string("method", in: node, context: context + "request: ")?.uppercased()
        if let method, !Self.methods.contains(method) {
            reader.report("\(context)method '\(method)' is not one of \(Self.methods.joined(separator: ", "))", at: node["method"])
        }
        var path: Template?
        if let pathNode = node["path"] {
            path = checkedTemplate(pathNode, context: context + "path: ")
            if let text = path?.description, !text.hasPrefix("/"), !text.hasPrefix("${") {
                reader.report(
                    "\(context)path '\(text)' must start with '/' or with a captured path such as ${note_path} (it is added to the target URL)",
                    at: pathNode)
            }
        } else {
            reader.report("\(context)request: missing field 'path'", at: node)
        }
        let headers = reader.pairs("headers", in: node, context: context).compactMap { pair -> (name: String, value: Template)? in
            guard pair.key.wholeMatch(of: /[A-Za-z0-9!#$%&'*+.^_`|~-]+/) != nil else {
                reader.report("\(context)'\(pair.key)' is not a valid header name", at: pair.keyNode)
                return nil
            }
            return checkedTemplate(pair.value, context: "\(context)header \(pair.key): ").map { (pair.key, $0) }
        }
        let present = bodyKeys.filter { node[$0] != nil }
        if present.count > 1 {
            reader.report("\(context)a request has one body: choose one of \(present.joined(separator: ", "))", at: node[present[1]])
        }
        let body = present.first.flatMap { parseBody(kind: $0, node: node[$0]!, context: context) }
        let follow = reader.bool("follow_redirects", in: node, context: context) ?? (client == .browser)
        guard let method, let path, present.count <= 1, present.isEmpty || body != nil else { return nil }
        return RequestSpec(method: method, path: path, headers: headers, body: body, followRedirects: follow)
    }

    private mutating func parseBody(kind: String, node: Node, context: String) -> RequestBody? {
        switch kind {
        case "json":
            let value = JSONValue(node: node)
            checkNames(value.templateNames, at: node, context: context + "json: ")
            return .json(value)
        case "form":
            guard let mapping = node.mapping else {
                reader.report("\(context)'form' must be a mapping of field: value", at: node)
                return nil
            }
            let fields = mapping.compactMap { pair -> (name: String, value: Template)? in
                guard let name = pair.key.string else { return nil }
                return checkedTemplate(pair.value, context: "\(context)form field \(name): ").map { (name, $0) }
            }
            return fields.count == mapping.count ? .form(fields) : nil
        case "multipart":
            guard let items = node.sequence, !items.isEmpty else {
                reader.report("\(context)'multipart' must be a list of parts ({name, value} or {name, filename, content_type, value})", at: node)
                return nil
            }
            let parts = items.compactMap { item -> MultipartPart? in
                guard reader.mapping(item, known: ["name", "value", "filename", "content_type"], context: context + "multipart part: "),
                    let name = reader.string("name", in: item, context: context + "multipart part: ")
                else { return nil }
                guard let valueNode = item["value"] else {
                    reader.report("\(context)multipart part '\(name)': missing field 'value'", at: item)
                    return nil
                }
                guard let value = checkedTemplate(valueNode, context: "\(context)multipart part \(name): ") else { return nil }
                let filename = item["filename"].flatMap { checkedTemplate($0, context: "\(context)multipart part \(name) filename: ") }
                return MultipartPart(
                    name: name, value: value, filename: filename,
                    contentType: reader.string("content_type", in: item, required: false))
            }
            return parts.count == items.count ? .multipart(parts) : nil
        default:
            return checkedTemplate(node, context: context + "body: ").map(RequestBody.raw)
        }
    }

    // MARK: names

    mutating func checkedTemplate(_ node: Node, context: String) -> Template? {
        guard let template = reader.template(node, context: context) else { return nil }
        checkNames(template.names, at: node, context: context)
        return template
    }

    mutating func checkNames(_ names: [String], at node: Node, context: String) {
        for name in names where !known.contains(name) {
            let available = known.sorted().map { "${\($0)}" }.joined(separator: ", ")
            reader.report(
                "\(context)${\(name)} is not defined before this step: declare it under 'random:' or capture it in an earlier step"
                    + (available.isEmpty ? "" : " (known here: \(available))"), at: node)
        }
    }
}

extension String {
    /// Lowercase letters, digits and single dashes between them: safe in URLs and file names.
    var isStableID: Bool {
        wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil
    }

    /// A name usable as `${name}`.
    var isValueName: Bool {
        wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil
    }
}
