import Yams

/// Reading `probe:` steps and their `with:` parameters.
extension LabParser {
    mutating func parseProbe(_ probeNode: Node, with node: Node?, context: String) -> Probe? {
        guard let name = probeNode.scalar?.string, Probe.names.contains(name) else {
            reader.report(
                "\(context)unknown probe '\(probeNode.scalar?.string ?? "")' (probes are: \(Probe.names.joined(separator: ", ")))", at: probeNode)
            return nil
        }
        if name == "restart" {
            if let node { reader.report("\(context)probe restart takes no parameters: remove 'with:'", at: node) }
            return node == nil ? .restart : nil
        }
        guard let node else {
            reader.report("\(context)probe \(name) needs its parameters under 'with:'", at: probeNode)
            return nil
        }
        let context = "\(context)probe \(name): "
        switch name {
        case "concurrent":
            guard reader.mapping(node, known: ["count", "request", "expect", "distinct"], context: context) else { return nil }
            let count = reader.int("count", in: node, range: 2...100, required: true, context: context)
            let check = parseCheck(node, context: context, allowCaptures: false, extra: ["i"])
            let distinct = node["distinct"].flatMap { reader.jsonPath($0, context: context + "distinct: ") }
            guard let count, let check, node["distinct"] == nil || distinct != nil else { return nil }
            return .concurrent(count: count, check: check, distinct: distinct)
        case "latency":
            guard reader.mapping(node, known: ["request", "expect", "repeat", "max_ratio"], context: context) else { return nil }
            let check = parseCheck(node, context: context, allowCaptures: false)
            let count = reader.int("repeat", in: node, range: 2...50, required: true, context: context)
            let ratio = node["max_ratio"]?.float
            if ratio == nil || !(0.01...1).contains(ratio!) {
                reader.report(
                    "\(context)'max_ratio' must be a number from 0.01 to 1 (0.5: later answers at most half as slow as the first)",
                    at: node["max_ratio"] ?? node)
            }
            guard let check, let count, let ratio, (0.01...1).contains(ratio) else { return nil }
            return .latency(check: check, repeat: count, maxRatio: ratio)
        case "webhook":
            guard reader.mapping(node, known: ["request", "expect", "call", "within_ms"], context: context) else { return nil }
            let trigger = parseCheck(node, context: context, allowCaptures: false, extra: ["webhook_url"])
            let within = reader.int("within_ms", in: node, range: 100...60_000, context: context) ?? 5000
            guard let callNode = node["call"] else {
                reader.report("\(context)missing field 'call' (what the call to ${webhook_url} must look like)", at: node)
                return nil
            }
            guard reader.mapping(callNode, known: ["method", "headers", "json", "body", "signature"], context: context + "call: ") else { return nil }
            let method = reader.string("method", in: callNode, required: false, context: context + "call: ")?.uppercased()
            var expectation = Expectation()
            expectation.headers = reader.pairs("headers", in: callNode, context: context).compactMap { pair in
                parseHeaderCheck(name: pair.key, node: pair.value, context: context + "call: ")
            }
            expectation.json = reader.sequence("json", in: callNode, context: context).flatMap {
                parseJSONChecks($0, context: context + "call: json: ")
            }
            expectation.body = callNode["body"].map { parseBodyRules($0, context: context + "call: body: ") } ?? []
            let signature = callNode["signature"].flatMap { parseSignature($0, context: context + "call: signature: ") }
            guard let trigger, callNode["signature"] == nil || signature != nil else { return nil }
            return .webhook(trigger: trigger, call: WebhookCall(method: method, expectation: expectation, signature: signature), withinMS: within)
        case "instances":
            guard reader.mapping(node, known: ["request", "expect", "header", "requests", "at_least"], context: context) else { return nil }
            let check = parseCheck(node, context: context, allowCaptures: false)
            let header = reader.string("header", in: node, context: context)
            let requests = reader.int("requests", in: node, range: 2...100, required: true, context: context)
            let atLeast = reader.int("at_least", in: node, range: 2...100, required: true, context: context)
            if let requests, let atLeast, atLeast > requests {
                reader.report("\(context)'at_least' (\(atLeast)) cannot be more than 'requests' (\(requests))", at: node["at_least"])
                return nil
            }
            guard let check, let header, let requests, let atLeast else { return nil }
            return .instances(check: check, header: header, requests: requests, atLeast: atLeast)
        default:
            guard reader.mapping(node, known: ["request", "max_requests", "retry_after"], context: context),
                let requestNode = node["request"]
            else {
                if node.mapping != nil { reader.report("\(context)missing field 'request'", at: node) }
                return nil
            }
            let request = parseRequest(requestNode, context: context)
            let maxRequests = reader.int("max_requests", in: node, range: 2...1000, context: context) ?? 100
            let retryAfter = reader.bool("retry_after", in: node, context: context) ?? false
            return request.map { .burst(request: $0, maxRequests: maxRequests, retryAfter: retryAfter) }
        }
    }

    /// `signature: {header: X-Signature, secret: "${webhook_secret}", prefix: "sha256="}`.
    private mutating func parseSignature(_ node: Node, context: String) -> WebhookSignature? {
        guard reader.mapping(node, known: ["header", "secret", "prefix"], context: context) else { return nil }
        let header = reader.string("header", in: node, context: context)
        if let header, header.wholeMatch(of: /[A-Za-z0-9!#$%&'*+.^_`|~-]+/) == nil {
            reader.report("\(context)'\(header)' is not a valid header name", at: node["header"])
        }
        let secret = node["secret"].flatMap { checkedTemplate($0, context: context + "secret: ") }
        if node["secret"] == nil { reader.report("\(context)missing field 'secret' (the key the server signs with)", at: node) }
        let prefix = node["prefix"]?.scalar?.string ?? ""
        guard let header, let secret else { return nil }
        return WebhookSignature(header: header, secret: secret, prefix: prefix)
    }
}
