/// One value in a result, with SQLite's storage classes, so a grader can tell `5` from `'5'` when it
/// must and a page can show NULL as NULL.
public enum SQLValue: Sendable, Hashable, Codable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The number this value stands for: integers, reals, and texts that read as a number.
    var number: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .real(let value): value
        case .text(let text): Double(text.trimmingCharacters(in: .whitespaces))
        case .null, .blob: nil
        }
    }

    /// How the value reads in a results table: `NULL`, `12`, `12.5`, `Lyon`, `x'0aff'`.
    public var display: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): Self.display(value)
        case .text(let text): text
        case .blob(let bytes):
            "x'" + bytes.prefix(32).map { String($0, radix: 16).leftPadded(to: 2) }.joined() + (bytes.count > 32 ? "…'" : "'")
        }
    }

    public var isNull: Bool { self == .null }

    /// Whole reals print without a fraction (`12.0` reads as `12.0`, not `12`, so a learner sees it
    /// is a real); others with as few digits as identify them.
    private static func display(_ value: Double) -> String {
        value.isFinite && value == value.rounded() && abs(value) < 1e15 ? String(format: "%.1f", value) : "\(value)"
    }
}

/// The rows a statement returned, with the column names it gave them.
public struct ResultSet: Sendable, Equatable, Codable {
    public let columns: [String]
    public let rows: [[SQLValue]]

    public init(columns: [String], rows: [[SQLValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
