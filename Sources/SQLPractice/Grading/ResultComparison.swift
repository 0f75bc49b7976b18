/// Compares a learner's result with the expected one: the same number of columns (names do not
/// matter), the same rows — numbers equal within a small relative tolerance, a number equal to a
/// text that reads as that number — and, only where the exercise says so, in the same order.
public enum ResultComparison {
    /// Numbers closer than this, relative to their size, are equal (sums of reals drift).
    static let tolerance = 1e-6

    /// Nil when the results match; otherwise how they differ.
    public static func diff(yours: ResultSet, expected: ResultSet, ordered: Bool) -> ResultDiff? {
        let columns = expected.columns
        guard yours.columns.count == expected.columns.count else {
            let summary =
                "Your query returns \(count(yours.columns.count, "column")); the expected result has \(expected.columns.count) (\(columns.joined(separator: ", ")))."
            return ResultDiff(
                summary: summary, expectedColumns: columns, missing: [], missingCount: 0, unexpected: [], unexpectedCount: 0, firstDifference: nil)
        }
        let (missing, unexpected) = unmatched(yours.rows, expected.rows)
        let firstDifference = ordered ? firstDifference(yours.rows, expected.rows) : nil
        if missing.isEmpty && unexpected.isEmpty {
            guard let firstDifference else { return nil }
            let summary =
                "The rows are right, but not in the expected order: row \(firstDifference.rowNumber) should be "
                + "\(firstDifference.expected?.tupleText ?? "-"), yours is \(firstDifference.yours?.tupleText ?? "-"). Check your ORDER BY, including how ties are broken."
            return ResultDiff(
                summary: summary, expectedColumns: columns, missing: [], missingCount: 0, unexpected: [], unexpectedCount: 0,
                firstDifference: firstDifference)
        }
        var sentences: [String] = []
        if let hint = columnOrderHint(yours.columns, columns) { sentences.append(hint) }
        if yours.rows.count == expected.rows.count {
            sentences.append("Your query returns the right number of rows (\(expected.rows.count)), but not the right rows.")
        } else {
            sentences.append("Your query returns \(count(yours.rows.count, "row")); the expected result has \(expected.rows.count).")
        }
        if missing.isEmpty, unexpected.allSatisfy({ row in expected.rows.contains { rowsEqual($0, row) } }) {
            sentences.append("Some rows appear more often than they should: a join that repeats rows, or a missing DISTINCT?")
        } else {
            var parts: [String] = []
            if !missing.isEmpty { parts.append("\(count(missing.count, "expected row")) \(missing.count == 1 ? "is" : "are") missing") }
            if !unexpected.isEmpty { parts.append("\(count(unexpected.count, "row")) should not be there") }
            sentences.append(parts.joined(separator: " and ") + ".")
        }
        return ResultDiff(
            summary: sentences.joined(separator: " "), expectedColumns: columns,
            missing: Array(missing.prefix(ResultDiff.shownRows)), missingCount: missing.count,
            unexpected: Array(unexpected.prefix(ResultDiff.shownRows)), unexpectedCount: unexpected.count,
            firstDifference: firstDifference)
    }

    /// Rows of `expected` with no equal row in `yours`, and rows of `yours` with none in `expected`,
    /// each row matched at most once (so duplicates count).
    static func unmatched(_ yours: [[SQLValue]], _ expected: [[SQLValue]]) -> (missing: [[SQLValue]], unexpected: [[SQLValue]]) {
        var buckets: [[String]: [Int]] = [:]
        for (index, row) in expected.enumerated() { buckets[key(row), default: []].append(index) }
        var matched = Set<Int>()
        var unexpected: [[SQLValue]] = []
        for row in yours {
            let rowKey = key(row)
            if let position = buckets[rowKey]?.firstIndex(where: { rowsEqual(expected[$0], row) }) {
                matched.insert(buckets[rowKey]!.remove(at: position))
            } else {
                unexpected.append(row)
            }
        }
        // Values near a rounding boundary land in different buckets: pair what is left directly.
        var missing = expected.indices.filter { !matched.contains($0) }.map { expected[$0] }
        unexpected = unexpected.filter { row in
            guard let position = missing.firstIndex(where: { rowsEqual($0, row) }) else { return true }
            missing.remove(at: position)
            return false
        }
        return (missing, unexpected)
    }

    private static func firstDifference(_ yours: [[SQLValue]], _ expected: [[SQLValue]]) -> RowDifference? {
        for index in 0..<max(yours.count, expected.count) {
            let mine = index < yours.count ? yours[index] : nil
            let theirs = index < expected.count ? expected[index] : nil
            if let mine, let theirs, rowsEqual(mine, theirs) { continue }
            return RowDifference(rowNumber: index + 1, yours: mine, expected: theirs)
        }
        return nil
    }

    /// Said when the columns have the expected names in another order (the rows then all differ).
    private static func columnOrderHint(_ yours: [String], _ expected: [String]) -> String? {
        let mine = yours.map { $0.lowercased() }
        let theirs = expected.map { $0.lowercased() }
        guard mine != theirs, mine.sorted() == theirs.sorted() else { return nil }
        return "Your columns are in a different order: expected \(expected.joined(separator: ", ")); yours \(yours.joined(separator: ", "))."
    }

    static func rowsEqual(_ lhs: [SQLValue], _ rhs: [SQLValue]) -> Bool {
        lhs.count == rhs.count && zip(lhs, rhs).allSatisfy(valuesEqual)
    }

    static func valuesEqual(_ lhs: SQLValue, _ rhs: SQLValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.text(let left), .text(let right)): return left == right
        case (.blob(let left), .blob(let right)): return left == right
        default:
            guard let left = lhs.number, let right = rhs.number else { return false }
            return abs(left - right) <= tolerance * max(1, abs(left), abs(right))
        }
    }

    /// A bucket key equal for values that are equal (numbers rounded to 6 significant digits).
    private static func key(_ row: [SQLValue]) -> [String] {
        row.map { value in
            switch value {
            case .null: "∅"
            case .blob(let bytes): "b" + bytes.map(String.init).joined(separator: ",")
            default: value.number.map { "n" + String(format: "%.5e", $0) } ?? "t" + value.display
            }
        }
    }

    private static func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
