import Foundation

/// A JSON value read exactly as written (by ``ExportJSONParser``), so an import can say which field at which path has the
/// wrong type (a number where a string belongs, `true` where a count belongs) instead of failing
/// on the first mismatch the way a typed decoder does.
public indirect enum ExportJSON: Sendable, Equatable, Encodable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A whole number above `Int64.max` (a lab run's random seed can be one).
    case unsigned(UInt64)
    case number(Double)
    case string(String)
    case array([ExportJSON])
    case object([String: ExportJSON])

    public func encode(to encoder: any Encoder) throws {
        var value = encoder.singleValueContainer()
        switch self {
        case .null: try value.encodeNil()
        case .bool(let bool): try value.encode(bool)
        case .integer(let integer): try value.encode(integer)
        case .unsigned(let unsigned): try value.encode(unsigned)
        case .number(let number): try value.encode(number)
        case .string(let string): try value.encode(string)
        case .array(let array): try value.encode(array)
        case .object(let object): try value.encode(object)
        }
    }

    /// The JSON text: keys sorted and indented, so two exports of the same data are the same bytes.
    public func text() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// The compact JSON text (keys sorted), as a lab run's report is stored.
    public func compactText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// What kind of value this is, in the words a problem report uses.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .unsigned, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
