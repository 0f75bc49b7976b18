import Foundation

/// An attempt's verdict as plain text for a terminal (`groundwork sql try`): the verdict, the
/// diff, the error with a caret under its position, and the rows the attempt produced.
public enum AttemptReport {
    public static func text(_ result: AttemptResult, exercise: Exercise) -> String {
        var lines: [String] = []
        switch result.verdict {
        case .correct:
            lines.append("✓ Correct: exercise \(exercise.number) solved.")
            lines.append("")
            lines.append(exercise.explanation)
        case .wrong:
            lines.append("✗ Not yet. " + ([result.reason, result.diff?.summary].compactMap { $0 }.joined(separator: " ")))
            if let diff = result.diff { lines += diffLines(diff) }
        case .error:
            lines.append("Error: \(result.error?.description ?? "the SQL did not run")")
            if let position = result.error?.position {
                lines.append(position.pointer.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
            }
        }
        if let output = result.output {
            lines.append("")
            lines.append("\(result.outputCaption) (\(output.rows.count) row\(output.rows.count == 1 ? "" : "s")):")
            lines.append(ResultTable.text(output, limit: 20))
        }
        return lines.joined(separator: "\n")
    }

    private static func diffLines(_ diff: ResultDiff) -> [String] {
        var lines: [String] = []
        if diff.missingCount > 0 {
            lines += [
                "", "Expected rows missing from yours (\(diff.missingCount)):",
                ResultTable.text(ResultSet(columns: diff.expectedColumns, rows: diff.missing), limit: ResultDiff.shownRows),
            ]
        }
        if diff.unexpectedCount > 0 {
            lines += [
                "", "Rows in yours that should not be there (\(diff.unexpectedCount)):",
                ResultTable.text(ResultSet(columns: diff.expectedColumns, rows: diff.unexpected), limit: ResultDiff.shownRows),
            ]
        }
        if let first = diff.firstDifference, diff.missingCount + diff.unexpectedCount > 0 {
            lines += [
                "",
                "First row that differs, row \(first.rowNumber): yours \(first.yours?.tupleText ?? "(none)"), expected \(first.expected?.tupleText ?? "(none)")",
            ]
        }
        return lines
    }
}

/// A result as a fixed-width text table, long values shortened, at most `limit` rows.
public enum ResultTable {
    static let widestCell = 32

    public static func text(_ result: ResultSet, limit: Int) -> String {
        let shown = result.rows.prefix(limit).map { row in row.map { cell($0.display) } }
        let headers = result.columns.map(cell)
        let widths = headers.indices.map { column in
            ([headers[column]] + shown.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: " | ").trimmingTrailingSpaces
        }
        var lines = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-")]
        lines += shown.map(line)
        if result.rows.count > limit { lines.append("… and \(result.rows.count - limit) more") }
        return lines.map { "  " + $0 }.joined(separator: "\n")
    }

    private static func cell(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > widestCell ? String(flat.prefix(widestCell - 1)) + "…" : flat
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
