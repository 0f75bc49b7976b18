import SQLPractice

/// The result panel of an exercise page after a run: the verdict, why it is wrong (the diff:
/// missing rows, unexpected rows, the first differing row), or the error with a caret under its
/// position, and what the attempt produced.
struct AttemptModel {
    /// "correct", "wrong" or "error", for styling.
    let verdict: String
    let isCorrect: Bool
    let isError: Bool
    let headline: String
    /// Sentences saying what is wrong; empty when correct or an error.
    let whyText: String
    let hasWhy: Bool
    let missingTitle: String
    let missingRows: ResultTableModel?
    let unexpectedTitle: String
    let unexpectedRows: ResultTableModel?
    /// "Row 4 — yours: (…); expected: (…)"; empty when not relevant.
    let firstDifferenceText: String
    let hasFirstDifference: Bool
    let errorText: String
    /// The line of SQL with a caret under the error; empty when the position is unknown.
    let errorPointer: String
    let hasErrorPointer: Bool
    let outputCaption: String
    /// "92 rows".
    let outputCount: String
    let outputRows: ResultTableModel?

    init(_ result: AttemptResult) {
        verdict = result.verdict.rawValue
        isCorrect = result.verdict == .correct
        isError = result.verdict == .error
        switch result.verdict {
        case .correct: headline = "Correct!"
        case .wrong: headline = "Not yet"
        case .error: headline = "Your SQL did not run"
        }
        whyText = [result.reason, result.diff?.summary].compactMap { $0 }.joined(separator: " ")
        hasWhy = !whyText.isEmpty
        let diff = result.diff
        if let diff, diff.missingCount > 0 {
            missingTitle = "Expected rows missing from yours (\(diff.missingCount.grouped))"
            missingRows = ResultTableModel(columns: diff.expectedColumns, rows: diff.missing, total: diff.missingCount)
        } else {
            missingTitle = ""
            missingRows = nil
        }
        if let diff, diff.unexpectedCount > 0 {
            unexpectedTitle = "Rows in yours that should not be there (\(diff.unexpectedCount.grouped))"
            unexpectedRows = ResultTableModel(columns: diff.expectedColumns, rows: diff.unexpected, total: diff.unexpectedCount)
        } else {
            unexpectedTitle = ""
            unexpectedRows = nil
        }
        if let first = diff?.firstDifference, (diff?.missingCount ?? 0) + (diff?.unexpectedCount ?? 0) > 0 {
            firstDifferenceText =
                "The first row that differs is row \(first.rowNumber) — yours: \(first.yours?.tupleText ?? "no row"); expected: \(first.expected?.tupleText ?? "no row")."
        } else {
            firstDifferenceText = ""
        }
        hasFirstDifference = !firstDifferenceText.isEmpty
        errorText = result.error?.description ?? ""
        errorPointer = result.error?.position?.pointer ?? ""
        hasErrorPointer = !errorPointer.isEmpty
        outputCaption = result.outputCaption
        let count = result.output?.rows.count ?? 0
        outputCount = "\(count.grouped) row\(count == 1 ? "" : "s")"
        outputRows = result.output.map(ResultTableModel.init)
    }
}
