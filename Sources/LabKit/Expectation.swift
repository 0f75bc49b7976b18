/// What an answer must look like for a step to pass. Every check is reported on its own, so a
/// learner sees all that is wrong with one answer, not only the first thing.
public struct Expectation: Sendable {
    public var status: StatusRule?
    public var headers: [HeaderCheck]
    public var json: [JSONCheck]
    public var body: [BodyRule]
    /// The answer must arrive within this many milliseconds.
    public var maxMS: Int?
    /// The answer must take at least this many milliseconds: a deliberately slow endpoint is slow
    /// before its result is cached.
    public var minMS: Int?

    public init(
        status: StatusRule? = nil, headers: [HeaderCheck] = [], json: [JSONCheck] = [], body: [BodyRule] = [],
        maxMS: Int? = nil, minMS: Int? = nil
    ) {
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
        self.maxMS = maxMS
        self.minMS = minMS
    }

    /// One line per check, as `groundwork labs show` prints them.
    public var summaries: [String] { summaries(filledFrom: nil) }

    /// One line per check with the run's values in place, as failure reports print them: a value
    /// keeps its JSON type (a number is shown as a number), and a value the run does not know
    /// stays a `${name}` placeholder.
    public func summaries(filledFrom bindings: Bindings?) -> [String] {
        var lines: [String] = []
        if let status { lines.append("status \(status)") }
        lines += headers.map { bindings.map($0.filled) ?? $0.description }
        lines += json.map { bindings.map($0.filled) ?? $0.description }
        lines += body.map { bindings.map($0.filled) ?? $0.description }
        if let maxMS { lines.append("answers within \(maxMS) ms") }
        if let minMS { lines.append("takes at least \(minMS) ms") }
        return lines
    }

    /// Every `${name}` the checks use.
    public var names: [String] {
        let headerNames = headers.flatMap { check -> [String] in
            switch check.rule {
            case .equals(let template), .contains(let template): template.names
            default: []
            }
        }
        let jsonNames = json.flatMap { check -> [String] in
            switch check.rule {
            case .equals(let value), .contains(let value): value.templateNames
            case .oneOf(let values): values.flatMap(\.templateNames)
            default: []
            }
        }
        let bodyNames = body.flatMap { rule -> [String] in
            switch rule {
            case .contains(let template), .notContains(let template), .equals(let template): template.names
            default: []
            }
        }
        return headerNames + jsonNames + bodyNames
    }
}

/// `status: 201`, `status: [400, 422]` or `status: 2xx`.
public enum StatusRule: Sendable, Equatable, CustomStringConvertible {
    case exact(Int)
    case oneOf([Int])
    /// The first digit: 2 for `2xx`.
    case classOf(Int)

    public func accepts(_ status: Int) -> Bool {
        switch self {
        case .exact(let code): status == code
        case .oneOf(let codes): codes.contains(status)
        case .classOf(let digit): status / 100 == digit
        }
    }

    public var description: String {
        switch self {
        case .exact(let code): "\(code)"
        case .oneOf(let codes): codes.map(String.init).joined(separator: " or ")
        case .classOf(let digit): "\(digit)xx"
        }
    }
}

/// A check on one response header (names are case-insensitive).
public struct HeaderCheck: Sendable, CustomStringConvertible {
    public enum Rule: Sendable {
        case equals(Template)
        case contains(Template)
        case matches(String)
        case present
        case absent
    }

    public let name: String
    public let rule: Rule

    public init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }

    public var description: String { filled(Bindings()) }

    /// The description with the run's values in place.
    func filled(_ bindings: Bindings) -> String {
        func text(_ template: Template) -> String { (try? template.render(bindings)) ?? template.description }
        return switch rule {
        case .equals(let value): "header \(name) is \"\(text(value))\""
        case .contains(let value): "header \(name) contains \"\(text(value))\""
        case .matches(let pattern): "header \(name) matches the pattern \"\(pattern)\""
        case .present: "header \(name) is present"
        case .absent: "header \(name) is absent"
        }
    }
}

/// A check on a value inside a JSON body.
public struct JSONCheck: Sendable, CustomStringConvertible {
    public enum Rule: Sendable {
        /// Placeholders in the expected value are filled from the run's bindings.
        case equals(JSONValue)
        /// Equal to any of these values: where the public suite accepts more than one answer.
        case oneOf([JSONValue])
        /// A text contains the text, or an array contains the value.
        case contains(JSONValue)
        case type(String)
        /// Items of an array, characters of a text, or members of an object.
        case length(Int)
        case matches(String)
        case greaterThan(Double)
        case lessThan(Double)
        case exists(Bool)
        /// A moment within this many milliseconds of the answer's arrival: a number is Unix time in
        /// milliseconds; a text is a date as ``DateText`` reads it, and a date without a time
        /// stands for its whole day.
        case nearNow(Int)
    }

    /// The type names `type:` accepts.
    public static let typeNames = ["string", "number", "integer", "boolean", "array", "object", "null"]

    /// "a string", "an integer".
    static func withArticle(_ type: String) -> String {
        (["array", "integer", "object"].contains(type) ? "an " : "a ") + type
    }

    public let path: JSONPath
    public let rule: Rule

    public init(path: JSONPath, rule: Rule) {
        self.path = path
        self.rule = rule
    }

    public var description: String { filled(Bindings()) }

    /// The description with the run's values in place (each keeping its JSON type); a check on
    /// every item of a list (`$.articles[*].body`) is said in words.
    func filled(_ bindings: Bindings) -> String {
        func shown(_ value: JSONValue) -> JSONValue { (try? value.rendered(bindings)) ?? value }
        if let list = path.listAndField {
            switch rule {
            case .length(0): return "no item of \(list.list) has \(list.field)"
            case .length(let count): return "exactly \(count) \(count == 1 ? "item" : "items") of \(list.list) have \(list.field)"
            case .contains(let value): return "an item of \(list.list) has \(list.field) \(shown(value))"
            default: break
            }
        }
        return switch rule {
        case .equals(let value): "\(path) equals \(shown(value))"
        case .oneOf(let values): "\(path) is one of \(values.map { shown($0).description }.joined(separator: ", "))"
        case .contains(let value): "\(path) contains \(shown(value))"
        case .type(let type): "\(path) is \(Self.withArticle(type))"
        case .length(let count): "\(path) has length \(count)"
        case .matches(let pattern): "\(path) matches the pattern \"\(pattern)\""
        case .greaterThan(let number): "\(path) is greater than \(JSONValue.format(number))"
        case .lessThan(let number): "\(path) is less than \(JSONValue.format(number))"
        case .exists(let exists): exists ? "\(path) exists" : "\(path) is absent"
        case .nearNow(let ms): "\(path) is a time within \(ms) ms of now"
        }
    }
}

/// A check on the raw body.
public enum BodyRule: Sendable, CustomStringConvertible {
    case contains(Template)
    /// The body must not hold this text anywhere, in any capitals: a password, someone else's data.
    case notContains(Template)
    case equals(Template)
    /// A regular expression found anywhere in the body, e.g. a form field in an HTML page.
    case matches(String)
    case empty

    public var description: String { filled(Bindings()) }

    /// The description with the run's values in place.
    func filled(_ bindings: Bindings) -> String {
        func text(_ template: Template) -> String { (try? template.render(bindings)) ?? template.description }
        return switch self {
        case .contains(let value): "body contains \"\(text(value))\""
        case .notContains(let value): "body does not contain \"\(text(value))\""
        case .equals(let value): "body is exactly \"\(text(value))\""
        case .matches(let pattern): "body matches the pattern \"\(pattern)\""
        case .empty: "body is empty"
        }
    }
}
