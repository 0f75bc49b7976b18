/// A location inside a JSON body, written `$`, `$.title`, `$.items[0].id` or `$.headers.x-token`;
/// `$.items[*].id` collects the `id` of every item.
///
/// Deliberately small: member names, array indices and `[*]`, nothing else, so an author can read
/// any path at a glance and a learner can find the value by hand.
public struct JSONPath: Sendable, Equatable, CustomStringConvertible {
    public enum Segment: Sendable, Equatable {
        case member(String)
        case index(Int)
        /// `[*]`: every item of an array, or every member value of an object.
        case every
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
            } else if rest.hasPrefix("[*]") {
                segments.append(.every)
                rest = rest.dropFirst(3)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]), index >= 0 else {
                    throw Malformed(message: "JSON path '\(text)': '[' must hold an array index such as [0], or * for every item")
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

    /// The value at this path, or `nil` when some part of it is missing. A path with `[*]` gives
    /// the array of every value it reaches (empty when it reaches none), skipping items where the
    /// rest of the path is missing.
    public func value(in root: JSONValue) -> JSONValue? {
        let found = Self.values(at: segments[...], in: root)
        return segments.contains(.every) ? .array(found) : found.first
    }

    /// For a path through one `[*]` that names a field of each item (`$.articles[*].body`): the list
    /// (`$.articles`) and the field (`body`), so a check on it can be said in words.
    public var listAndField: (list: String, field: String)? {
        guard let star = segments.firstIndex(of: .every), !segments[(star + 1)...].contains(.every), star + 1 < segments.count,
            let marker = description.range(of: "[*]")
        else { return nil }
        var field = String(description[marker.upperBound...])
        if field.hasPrefix(".") { field.removeFirst() }
        let list = String(description[..<marker.lowerBound])
        return (list == "$" ? "the list" : list, field)
    }

    private static func values(at segments: ArraySlice<Segment>, in value: JSONValue) -> [JSONValue] {
        guard let segment = segments.first else { return [value] }
        let rest = segments.dropFirst()
        switch (segment, value) {
        case (.member(let name), .object):
            return value[name].map { values(at: rest, in: $0) } ?? []
        case (.index(let index), .array(let items)):
            return items.indices.contains(index) ? values(at: rest, in: items[index]) : []
        case (.every, .array(let items)):
            return items.flatMap { values(at: rest, in: $0) }
        case (.every, .object(let members)):
            return members.flatMap { values(at: rest, in: $0.value) }
        default:
            return []
        }
    }
}
