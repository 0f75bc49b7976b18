import SQLPractice

/// A result set as the practice pages draw it: the first rows only, NULL marked so it is not
/// mistaken for the text "NULL" or an empty string.
struct ResultTableModel {
    /// One value as text, flagged when it is NULL.
    struct Cell {
        let text: String
        let isNull: Bool
    }

    /// One result row.
    struct Row {
        let cells: [Cell]
    }

    /// The most rows a page shows of one result.
    static let shownRows = 50

    let columns: [String]
    let rows: [Row]
    let hasRows: Bool
    /// "Showing the first 100 of 597 rows."; empty when every row is shown.
    let moreNote: String
    let hasMoreNote: Bool

    init(columns: [String], rows: [[SQLValue]], total: Int? = nil) {
        self.columns = columns
        let shown = rows.prefix(Self.shownRows)
        self.rows = shown.map { Row(cells: $0.map { Cell(text: $0.display, isNull: $0.isNull) }) }
        hasRows = !rows.isEmpty
        let count = total ?? rows.count
        moreNote = count > shown.count ? "Showing the first \(shown.count) of \(count.grouped) rows." : ""
        hasMoreNote = !moreNote.isEmpty
    }

    init(_ result: ResultSet) {
        self.init(columns: result.columns, rows: result.rows)
    }
}
