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

    public init(status: StatusRule? = nil, headers: [HeaderCheck] = [], json: [JSONCheck] = [], body: [BodyRule] = [],
                maxMS: Int? = nil, minMS: Int? = nil) {
        self.status = status
        self.headers = headers
        self.json = json
        self.body = body
        self.maxMS = maxMS
        self.minMS = minMS
    }

    /// One line per check, as `groundwork labs show` and failure reports print them.
    public var summaries: [String] {
        var lines: [String] = []
        if let status { lines.append("status \(status)") }
        lines += headers.map(\.description)
        lines += json.map(\.description)
        lines += body.map(\.description)
        if let maxMS { lines.append("answers within \(maxMS) ms") }
        if let minMS { lines.append("takes at least \(minMS) ms") }
        return lines
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

    public var description: String {
        switch rule {
        case .equals(let value): "header \(name) is \"\(value)\""
        case .contains(let value): "header \(name) contains \"\(value)\""
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

    public var description: String {
        switch rule {
        case .equals(let value): "\(path) equals \(value)"
        case .contains(let value): "\(path) contains \(value)"
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
    case empty

    public var description: String {
        switch self {
        case .contains(let text): "body contains \"\(text)\""
        case .notContains(let text): "body does not contain \"\(text)\""
        case .equals(let text): "body is exactly \"\(text)\""
        case .empty: "body is empty"
        }
    }
}
