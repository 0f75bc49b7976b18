import Foundation

// Judging a message against an expectation, and taking captures from it: pure functions of a
// ``MessageSnapshot`` and the run's ``Bindings``.

extension Expectation {
    /// Everything about `message` that does not meet this expectation; empty when it passes.
    public func mismatches(in message: MessageSnapshot, bindings: Bindings) -> [String] {
        var found: [String] = []
        if let status, let actual = message.status, !status.accepts(actual) {
            found.append("status: expected \(status), got \(actual)")
        }
        for check in headers {
            if let problem = check.problem(in: message, bindings: bindings) { found.append(problem) }
        }
        if !json.isEmpty {
            if let body = message.json {
                for check in json {
                    if let problem = check.problem(in: body, bindings: bindings, now: message.receivedAt) { found.append(problem) }
                }
            } else {
                let shown =
                    message.body.isEmpty
                    ? "the body is empty"
                    : message.pageSummary.map { "the body is \($0)" } ?? "the body is not JSON: \"\(message.excerpt)\""
                found.append("JSON: expected a JSON body, but \(shown)")
            }
        }
        for rule in body {
            if let problem = rule.problem(in: message, bindings: bindings) { found.append(problem) }
        }
        if let maxMS, message.elapsedMS > maxMS {
            found.append("time: expected an answer within \(maxMS) ms, it took \(message.elapsedMS) ms")
        }
        if let minMS, message.elapsedMS < minMS {
            found.append("time: expected the answer to take at least \(minMS) ms, it took \(message.elapsedMS) ms")
        }
        if !found.isEmpty, let actual = message.status, status?.accepts(actual) != true,
            let cause = Self.unexpectedStatus(actual, location: message.header("location"))
        {
            found.insert(cause, at: 0)
        }
        return found
    }

    /// A crash or a redirect named in plain words, before any detail: the rest of the failures
    /// follow from it.
    static func unexpectedStatus(_ status: Int, location: String?) -> String? {
        switch status {
        case 500...599:
            return "your server answered \(status) — it raised an error while answering; its log says why"
        case 300...399:
            let target = location.map { "a redirect to \($0)" } ?? "a redirect without a Location header"
            return "your server answered \(status), \(target): this request is checked as it is answered, without following it"
        default:
            return nil
        }
    }
}

extension HeaderCheck {
    func problem(in message: MessageSnapshot, bindings: Bindings) -> String? {
        let actual = message.header(name)
        do {
            switch rule {
            case .absent:
                return actual.map { "header \(name): expected no such header, got \"\($0)\"" }
            case .present:
                return actual == nil ? "header \(name): missing" : nil
            case .equals(let template):
                let expected = try template.render(bindings)
                guard let actual else { return "header \(name): missing (expected \"\(expected)\")" }
                return actual == expected ? nil : "header \(name): expected \"\(expected)\", got \"\(actual)\""
            case .contains(let template):
                let expected = try template.render(bindings)
                guard let actual else { return "header \(name): missing (expected it to contain \"\(expected)\")" }
                return actual.lowercased().contains(expected.lowercased())
                    ? nil : "header \(name): expected it to contain \"\(expected)\", got \"\(actual)\""
            case .matches(let pattern):
                guard let actual else { return "header \(name): missing (expected it to match the pattern \"\(pattern)\")" }
                return actual.matches(pattern) ? nil : "header \(name): expected it to match the pattern \"\(pattern)\", got \"\(actual)\""
            }
        } catch {
            return "header \(name): \(error)"
        }
    }
}

extension JSONCheck {
    func problem(in body: JSONValue, bindings: Bindings, now: Date) -> String? {
        let actual = path.value(in: body)
        if case .exists(let shouldExist) = rule {
            switch (shouldExist, actual) {
            case (true, nil): return "\(path): expected it to exist, but it is not in the body"
            case (false, .some(let value)): return "\(path): expected no such value, got \(value)"
            default: return nil
            }
        }
        guard let actual else { return "\(path): not found in the body (expected \(expectedText(bindings)))" }
        do {
            switch rule {
            case .equals(let value):
                let expected = try value.rendered(bindings)
                return actual == expected ? nil : "\(path): expected \(expected), got \(actual)"
            case .oneOf(let values):
                var expected: [JSONValue] = []
                for value in values { expected.append(try value.rendered(bindings)) }
                return expected.contains(actual)
                    ? nil : "\(path): expected one of \(expected.map(\.description).joined(separator: ", ")), got \(actual)"
            case .contains(let value):
                let expected = try value.rendered(bindings)
                switch (actual, expected) {
                case (.string(let text), .string(let part)) where text.contains(part): return nil
                case (.array(let items), _) where items.contains(expected): return nil
                default:
                    if let list = path.listAndField {
                        return
                            "\(path): expected an item of \(list.list) whose \(list.field) is \(expected); the items' \(list.field) values are \(actual)"
                    }
                    return "\(path): expected it to contain \(expected), got \(actual)"
                }
            case .type(let type):
                let matches = actual.typeName == type || (type == "number" && actual.typeName == "integer")
                return matches ? nil : "\(path): expected \(Self.withArticle(type)), got \(actual.typeName) \(actual)"
            case .length(let count):
                let length: Int? =
                    switch actual {
                    case .array(let items): items.count
                    case .string(let text): text.count
                    case .object(let members): members.count
                    default: nil
                    }
                guard let length else { return "\(path): expected something with a length (array, text or object), got \(actual)" }
                guard length != count else { return nil }
                if let list = path.listAndField {
                    let found = "\(length) \(length == 1 ? "item has" : "items have") it: \(actual)"
                    return count == 0
                        ? "\(path): no item of \(list.list) may have \(list.field), but \(found)"
                        : "\(path): expected \(count) \(count == 1 ? "item" : "items") of \(list.list) to have \(list.field), but \(found)"
                }
                return "\(path): expected length \(count), got \(length)"
            case .matches(let pattern):
                guard case .string(let text) = actual else { return "\(path): expected a text matching the pattern \"\(pattern)\", got \(actual)" }
                return text.matches(pattern) ? nil : "\(path): expected it to match the pattern \"\(pattern)\", got \(actual)"
            case .greaterThan(let bound):
                guard case .number(let number) = actual else {
                    return "\(path): expected a number greater than \(JSONValue.format(bound)), got \(actual)"
                }
                return number > bound ? nil : "\(path): expected more than \(JSONValue.format(bound)), got \(actual)"
            case .lessThan(let bound):
                guard case .number(let number) = actual else {
                    return "\(path): expected a number less than \(JSONValue.format(bound)), got \(actual)"
                }
                return number < bound ? nil : "\(path): expected less than \(JSONValue.format(bound)), got \(actual)"
            case .nearNow(let window):
                return nearNowProblem(actual, window: window, now: now)
            case .exists:
                return nil
            }
        } catch {
            return "\(path): \(error)"
        }
    }

    private func nearNowProblem(_ actual: JSONValue, window: Int, now: Date) -> String? {
        let moment: DateInterval
        switch actual {
        case .number(let milliseconds):
            moment = DateInterval(start: Date(timeIntervalSince1970: milliseconds / 1000), duration: 0)
        case .string(let text):
            guard let read = DateText.interval(text) else {
                return "\(path): expected a date and time such as \"Sun, 25 Dec 2016 00:00:00 GMT\" or \"2016-12-25T00:00:00Z\", got \(actual)"
            }
            moment = read
        default:
            return "\(path): expected a time (milliseconds since 1970, or a date text), got \(actual)"
        }
        let distance = now < moment.start ? moment.start.timeIntervalSince(now) : max(0, now.timeIntervalSince(moment.end))
        guard distance * 1000 > Double(window) else { return nil }
        let problem = "\(path): expected a time within \(window) ms of now (\(now.ISO8601Format())), got \(actual)"
        if case .number(let seconds) = actual, abs(seconds - now.timeIntervalSince1970) * 1000 <= Double(window) {
            return problem + ": that is seconds since 1970, not milliseconds"
        }
        return problem
    }

    private func expectedText(_ bindings: Bindings) -> String {
        switch rule {
        case .equals(let value): (try? value.rendered(bindings))?.description ?? value.description
        default: filled(bindings).replacingOccurrences(of: "\(path) ", with: "")
        }
    }
}

extension BodyRule {
    func problem(in message: MessageSnapshot, bindings: Bindings) -> String? {
        do {
            switch self {
            case .empty:
                return message.body.isEmpty ? nil : "body: expected no body, got \(message.body.count) bytes: \"\(message.excerpt)\""
            case .contains(let template):
                let expected = try template.render(bindings)
                return message.text.contains(expected) ? nil : "body: expected it to contain \"\(expected)\", got \"\(message.excerpt)\""
            case .notContains(let template):
                let unwanted = try template.render(bindings)
                guard message.text.range(of: unwanted, options: .caseInsensitive) != nil else { return nil }
                return "body: expected it not to contain \"\(unwanted)\" (in any capitals), but it does: \"\(message.excerpt)\""
            case .equals(let template):
                let expected = try template.render(bindings)
                let actual = message.text
                return actual == expected || actual == expected + "\n" ? nil : "body: expected exactly \"\(expected)\", got \"\(message.excerpt)\""
            case .matches(let pattern):
                return message.text.matches(pattern) ? nil : "body: expected it to match the pattern \"\(pattern)\", got \"\(message.excerpt)\""
            }
        } catch {
            return "body: \(error)"
        }
    }
}

extension Capture {
    /// The kept value, or why it could not be taken from the answer.
    public func value(from message: MessageSnapshot) -> Result<JSONValue, CaptureFailure> {
        let found: JSONValue
        switch source {
        case .json(let path):
            guard let body = message.json else { return .failure(.init("capture \(name): \(path) cannot be read, the body is not JSON")) }
            guard let value = path.value(in: body) else { return .failure(.init("capture \(name): \(path) is not in the body")) }
            found = value
        case .header(let header):
            guard let value = message.header(header) else { return .failure(.init("capture \(name): the answer has no \(header) header")) }
            found = .string(value)
        }
        guard let pattern else { return .success(found) }
        guard let regex = try? Regex(pattern), let match = try? regex.firstMatch(in: found.plainText),
            match.count > 1, let group = match[1].substring
        else {
            return .failure(.init("capture \(name): \(found) does not match the pattern \"\(pattern)\""))
        }
        return .success(.string(String(group)))
    }
}

/// Why a value could not be captured; the step fails with this message.
public struct CaptureFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    /// Whether the regular expression finds a match anywhere in this text.
    func matches(_ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.firstMatch(in: self)) != nil
    }
}
