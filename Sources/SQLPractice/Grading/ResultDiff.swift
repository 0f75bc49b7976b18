/// How a learner's result differs from the expected one, said the way a patient teacher would:
/// first what is wrong overall ("3 columns, expected 2", "12 rows, expected 10", "right rows, wrong
/// order"), then the evidence — missing rows, unexpected rows, the first row that differs.
public struct ResultDiff: Sendable, Equatable {
    /// One or two sentences: what is wrong, and where to look.
    public let summary: String
    /// The expected result's column names, to head the tables of rows below.
    public let expectedColumns: [String]
    /// Expected rows the learner's result lacks (the first ``shownRows``), and how many in all.
    public let missing: [[SQLValue]]
    public let missingCount: Int
    /// Rows the learner's result has that the expected one lacks (the first ``shownRows``), and how many in all.
    public let unexpected: [[SQLValue]]
    public let unexpectedCount: Int
    /// Where row order matters: the first row (1-based) that differs, with both versions.
    public let firstDifference: RowDifference?

    /// How many missing or unexpected rows a diff lists.
    public static let shownRows = 10
}

/// The first place two ordered results part ways.
public struct RowDifference: Sendable, Equatable {
    public let rowNumber: Int
    /// Nil when the learner's result has no row there.
    public let yours: [SQLValue]?
    /// Nil when the expected result has no row there.
    public let expected: [SQLValue]?
}

extension Array where Element == SQLValue {
    /// `(Lyon, 12, NULL)`: a row as a sentence shows it.
    public var tupleText: String { "(" + map(\.display).joined(separator: ", ") + ")" }
}
