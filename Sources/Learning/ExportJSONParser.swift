import Foundation

/// A strict JSON reader for import files: fast on large files (a typed decoder that tries each
/// type in turn throws several errors per value), bounded in nesting, and precise about where a
/// file goes wrong (`line 3, column 17`), so a learner can find the mistake.
struct ExportJSONParser {
    /// Why the text is not JSON, and where.
    struct Failure: Error, Equatable {
        let message: String
    }

    /// Deeper than any export is (a lab report's steps sit about a dozen levels down).
    static let maxDepth = 64

    private let bytes: [UInt8]
    private var index = 0

    init(_ data: Data) { bytes = Array(data) }

    /// The one value the text holds; anything after it but white space is an error.
    static func parse(_ data: Data) throws(Failure) -> ExportJSON {
        var parser = ExportJSONParser(data)
        parser.skipSpace()
        let value = try parser.value(depth: 1)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw parser.failure("there is more text after the end of the JSON value") }
        return value
    }

    private mutating func value(depth: Int) throws(Failure) -> ExportJSON {
        guard depth <= Self.maxDepth else { throw failure("the JSON is nested more than \(Self.maxDepth) levels deep") }
        guard index < bytes.count else { throw failure("the text ends where a value should be") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("a value cannot start with \(describe(bytes[index]))")
        }
    }

    private mutating func object(depth: Int) throws(Failure) -> ExportJSON {
        index += 1
        var fields: [String: ExportJSON] = [:]
        skipSpace()
        if peek(UInt8(ascii: "}")) {
            index += 1
            return .object(fields)
        }
        while true {
            skipSpace()
            guard peek(UInt8(ascii: "\"")) else { throw failure("expected a key in double quotes") }
            let key = try string()
            skipSpace()
            guard peek(UInt8(ascii: ":")) else { throw failure("expected ':' after the key \"\(key.prefix(40))\"") }
            index += 1
            skipSpace()
            let value = try value(depth: depth + 1)
            guard fields.updateValue(value, forKey: key) == nil else { throw failure("the key \"\(key.prefix(40))\" appears twice in one object") }
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "}")) {
                index += 1
                return .object(fields)
            } else {
                throw failure("expected ',' or '}' in an object")
            }
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> ExportJSON {
        index += 1
        var items: [ExportJSON] = []
        skipSpace()
        if peek(UInt8(ascii: "]")) {
            index += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            if peek(UInt8(ascii: ",")) {
                index += 1
            } else if peek(UInt8(ascii: "]")) {
                index += 1
                return .array(items)
            } else {
                throw failure("expected ',' or ']' in an array")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        let start = index
        index += 1
        var text: [UInt8] = []
        while true {
            let run = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 {
                index += 1
            }
            text += bytes[run..<index]
            guard index < bytes.count else {
                index = start
                throw failure("a string is not closed")
            }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                guard let string = String(validating: text, as: UTF8.self) else {
                    index = start
                    throw failure("a string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try escape(into: &text)
            default:
                throw failure("a control character (\(describe(bytes[index]))) must be escaped inside a string")
            }
        }
    }

    private mutating func escape(into text: inout [UInt8]) throws(Failure) {
        index += 1
        guard index < bytes.count else { throw failure("a string is not closed") }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "\""): 0x22, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "/"): 0x2F, UInt8(ascii: "b"): 0x08,
            UInt8(ascii: "f"): 0x0C, UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
        ]
        if let byte = simple[bytes[index]] {
            text.append(byte)
            index += 1
            return
        }
        guard bytes[index] == UInt8(ascii: "u") else { throw failure("\\\(describe(bytes[index])) is not an escape JSON knows") }
        index += 1
        var scalar = try hex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw failure("a \\u escape of a high surrogate is not followed by its low surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00..<0xE000).contains(low) else { throw failure("a \\u escape of a high surrogate is not followed by its low surrogate") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw failure("a \\u escape is a lone low surrogate")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw failure("a \\u escape is not a character") }
        text += Array(String(Character(unicode)).utf8)
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape needs four hexadecimal digits") }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("a \\u escape needs four hexadecimal digits")
            }
            value = value * 16 + UInt32(digit)
        }
        index += 4
        return value
    }

    private mutating func number() throws(Failure) -> ExportJSON {
        let start = index
        var whole = true
        if peek(UInt8(ascii: "-")) { index += 1 }
        let first = index
        guard digits() > 0 else { throw failure("a number needs digits") }
        if bytes[first] == UInt8(ascii: "0"), index - first > 1 {
            index = start
            throw failure("a number cannot start with 0")
        }
        if peek(UInt8(ascii: ".")) {
            whole = false
            index += 1
            guard digits() > 0 else { throw failure("a number needs digits after its decimal point") }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            whole = false
            index += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { throw failure("a number needs digits in its exponent") }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if whole, let integer = Int64(text) { return .integer(integer) }
        if whole, let unsigned = UInt64(text) { return .unsigned(unsigned) }
        guard let number = Double(text), number.isFinite else {
            index = start
            throw failure("the number \(text.prefix(40)) is too large")
        }
        return .number(number)
    }

    /// Skips digits and says how many there were.
    private mutating func digits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, bytes[index..<(index + expected.count)].elementsEqual(expected) else {
            throw failure("a value cannot start with \(describe(bytes[index]))")
        }
        index += expected.count
    }

    private func peek(_ byte: UInt8) -> Bool { index < bytes.count && bytes[index] == byte }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
    }

    private func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : String(format: "byte 0x%02X", byte)
    }

    /// The message with the line and column (in bytes) where reading stopped.
    private func failure(_ message: String) -> Failure {
        let upTo = bytes[..<min(index, bytes.count)]
        let line = upTo.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let column = index - (upTo.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return Failure(message: "line \(line), column \(column): \(message)")
    }
}
