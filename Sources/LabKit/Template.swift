import Foundation

/// A text with `${name}` placeholders, filled in at run time from the run's ``Bindings`` (random
/// values and captures), so a learner's server cannot pass by hard-coding answers.
public struct Template: Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case value(String)
    }

    public let parts: [Part]
    public let description: String

    /// Why a template could not be read, phrased for the lab author.
    public struct Malformed: Error, Sendable {
        public let message: String
    }

    public init(_ text: String) throws(Malformed) {
        var parts: [Part] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            if start.lowerBound > rest.startIndex { parts.append(.literal(String(rest[..<start.lowerBound]))) }
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw Malformed(message: "'${' in '\(text)' is never closed with '}'")
            }
            let name = String(rest[start.upperBound..<end])
            guard name.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil else {
                throw Malformed(message: "'${\(name)}' in '\(text)' is not a value name (letters, digits and _)")
            }
            parts.append(.value(name))
            rest = rest[rest.index(after: end)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
        self.description = text
    }

    /// The names this template needs.
    public var names: [String] {
        parts.compactMap { if case .value(let name) = $0 { name } else { nil } }
    }

    /// The filled-in text; `encode` is applied to each inserted value (not to the literal parts).
    public func render(_ bindings: Bindings, encode: (String) -> String = { $0 }) throws(UnboundValue) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .literal(let literal): text += literal
            case .value(let name): text += encode(try bindings.value(name).plainText)
            }
        }
        return text
    }

    /// A URL path and query: inserted values are percent-encoded, except a value at the very start,
    /// which is a captured path (`${note_path}/comments`) and kept as it is.
    public func renderPath(_ bindings: Bindings) throws(UnboundValue) -> String {
        var text = ""
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(let literal): text += literal
            case .value(let name) where index == 0: text += try bindings.value(name).plainText
            case .value(let name): text += Self.urlComponent(try bindings.value(name).plainText)
            }
        }
        return text
    }

    /// A template that is exactly one placeholder keeps the value's JSON type (`"${count}"` stays a
    /// number); anything else renders to a string.
    public func renderJSON(_ bindings: Bindings) throws(UnboundValue) -> JSONValue {
        if parts.count == 1, case .value(let name) = parts[0] { return try bindings.value(name) }
        return .string(try render(bindings))
    }

    /// Percent-encodes an inserted value for a URL path segment or query value.
    public static func urlComponent(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}

extension JSONValue {
    /// Fills every placeholder in every string of this value (keys stay as written).
    public func rendered(_ bindings: Bindings) throws(UnboundValue) -> JSONValue {
        switch self {
        case .string(let text):
            guard text.contains("${"), let template = try? Template(text) else { return self }
            return try template.renderJSON(bindings)
        case .array(let items):
            var result: [JSONValue] = []
            for item in items { result.append(try item.rendered(bindings)) }
            return .array(result)
        case .object(let members):
            var result: [(key: String, value: JSONValue)] = []
            for member in members { result.append((member.key, try member.value.rendered(bindings))) }
            return .object(result)
        default:
            return self
        }
    }

    /// Every placeholder name used in this value's strings.
    public var templateNames: [String] {
        switch self {
        case .string(let text): (try? Template(text))?.names ?? []
        case .array(let items): items.flatMap(\.templateNames)
        case .object(let members): members.flatMap(\.value.templateNames)
        default: []
        }
    }
}

/// The values a run has so far, by name: random values drawn from the seed, then captures.
public struct Bindings: Sendable {
    private var values: [String: JSONValue]

    public init(_ values: [String: JSONValue] = [:]) {
        self.values = values
    }

    public func value(_ name: String) throws(UnboundValue) -> JSONValue {
        guard let value = values[name] else { throw UnboundValue(name: name) }
        return value
    }

    public subscript(name: String) -> JSONValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// `text` with every `${name}` this run knows replaced by its value, the others left as they
    /// are: how a report shows what a step expected.
    public func fill(_ text: String) -> String {
        var result = text
        for (name, value) in values {
            result = result.replacingOccurrences(of: "${\(name)}", with: value.plainText)
        }
        return result
    }

    /// These bindings plus `extra` (used for per-request values such as a probe's `${i}`).
    public func adding(_ extra: [String: JSONValue]) -> Bindings {
        Bindings(values.merging(extra) { _, new in new })
    }
}

/// A `${name}` that has no value in this run, usually because the step that captures it failed.
public struct UnboundValue: Error, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String {
        "the value ${\(name)} is not known: the step that should have captured it did not pass"
    }
}
