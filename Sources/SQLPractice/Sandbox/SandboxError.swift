/// Why an attempt produced no result: SQLite's own error (as the database reports it), or a limit
/// or rule of the sandbox — each worded so the learner knows what to change.
public struct SandboxError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// What stopped the attempt, so pages and tests can tell a limit from a refusal from SQLite's own error.
    public enum Kind: String, Sendable, Codable {
        /// SQLite rejected or failed the statement (syntax, unknown column, constraint…).
        case database
        /// The statement does something the sandbox does not allow (ATTACH, PRAGMA, a write…).
        case refused
        case timeLimit
        case tooManyRows
        case resultTooLarge
        case tooManyStatements
        /// Empty, too long, or not text at all.
        case invalidText
        /// The learner already has attempts running and waiting: fairness between learners.
        case busy
    }

    public let kind: Kind
    public let message: String
    /// Where in the learner's text the problem is, when known.
    public let position: TextPosition?

    init(_ kind: Kind, _ message: String, at position: TextPosition? = nil) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String {
        position.map { "\(message) (line \($0.line), column \($0.column))" } ?? message
    }
}

/// A place in a text: 1-based line and column (in characters), from a UTF-8 byte offset.
public struct TextPosition: Sendable, Equatable, Codable {
    public let line: Int
    public let column: Int
    /// The whole line the position is on, for showing it with a caret under the column.
    public let lineText: String

    init(byteOffset: Int, in text: String) {
        let bytes = Array(text.utf8)
        let offset = max(0, min(byteOffset, bytes.count))
        let before = bytes[..<offset]
        let lineStart = (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
        let lineEnd = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        line = before.filter { $0 == UInt8(ascii: "\n") }.count + 1
        column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
    }

    /// The line, and under it a caret at the column: how compilers point at a mistake.
    public var pointer: String {
        let indent = String(lineText.prefix(column - 1).map { $0 == "\t" ? "\t" : " " })
        return lineText + "\n" + indent + "^"
    }
}
