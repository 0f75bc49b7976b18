/// A location inside a JSON body, written `$`, `$.title`, `$.items[0].id` or `$.headers.x-token`.
///
/// Deliberately small: member names and array indices, nothing else, so an author can read any
/// path at a glance and a learner can find the value by hand.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case member(String)
        case index(Int)
    }

    public let segments: [Segment]
    public let description: String

    /// Why a path could not be read, phrased for the lab author.
    public struct Malformed: Error, Sendable {
        public let message: String
    }

    public init(_ text: String) throws(Malformed) {
        guard text.hasPrefix("$") else {
            throw Malformed(message: "JSON path '\(text)' must start with '$' (the whole body), e.g. $.items[0].id")
        }
        var segments: [Segment] = []
        var rest = text.dropFirst()
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw Malformed(message: "JSON path '\(text)' has an empty member name after '.'") }
                segments.append(.member(String(name)))
                rest = rest.dropFirst(name.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw Malformed(message: "JSON path '\(text)': '[' must hold an array index such as [0]")
                }
                segments.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                throw Malformed(message: "JSON path '\(text)': expected '.' or '[' at '\(rest)'")
            }
        }
        self.segments = segments
        self.description = text
    }

    /// The value at this path, or `nil` when some part of it is missing.
    public func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for segment in segments {
            switch (segment, current) {
            case (.member(let name), .object):
                guard let next = current[name] else { return nil }
                current = next
            case (.index(let index), .array(let items)):
                guard items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
