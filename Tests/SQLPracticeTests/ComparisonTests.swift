import SQLPractice
import Testing

/// Result-set comparison: what counts as the same answer, and what the diff says when it is not.
@Suite("Result comparison")
struct ComparisonTests {
    static func result(_ columns: [String], _ rows: [[SQLValue]]) -> ResultSet { ResultSet(columns: columns, rows: rows) }
    static let expected = result(["name", "total"], [[.text("Lyon"), .integer(12)], [.text("Leeds"), .integer(7)], [.text("Rome"), .null]])

    @Test("the same rows in another order match when order does not matter; column names never matter")
    func unorderedMatch() {
        // setup
        let yours = Self.result(["city", "n"], [[.text("Rome"), .null], [.text("Lyon"), .integer(12)], [.text("Leeds"), .integer(7)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(diff == nil)
    }

    @Test("numbers match within a small tolerance, integers match reals, and a number matches a text that reads as it")
    func numbers() {
        // setup
        let expected = Self.result(["a", "b", "c"], [[.real(0.3), .integer(3), .integer(5)]])
        let yours = Self.result(["a", "b", "c"], [[.real(0.1 + 0.2), .real(3.0), .text("5")]])
        let off = Self.result(["a", "b", "c"], [[.real(0.31), .real(3.0), .text("5")]])
        // MUT + validate
        #expect(ResultComparison.diff(yours: yours, expected: expected, ordered: true) == nil)
        #expect(ResultComparison.diff(yours: off, expected: expected, ordered: true) != nil)
    }

    @Test("NULL is not 0 and not the empty text")
    func nulls() {
        // setup
        let yours = Self.result(["name", "total"], [[.text("Lyon"), .integer(12)], [.text("Leeds"), .integer(7)], [.text("Rome"), .integer(0)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(diff?.missing == [[.text("Rome"), .null]])
        #expect(diff?.unexpected == [[.text("Rome"), .integer(0)]])
        #expect(
            diff?.summary
                == "Your query returns the right number of rows (3), but not the right rows. 1 expected row is missing and 1 row should not be there."
        )
    }

    @Test("a different number of columns is said first, with the expected columns named")
    func columnCount() {
        // setup
        let yours = Self.result(["name", "total", "extra"], [[.text("Lyon"), .integer(12), .integer(1)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(diff?.summary == "Your query returns 3 columns; the expected result has 2 (name, total).")
    }

    @Test("missing and unexpected rows are listed, with counts")
    func missingAndUnexpected() {
        // setup
        let yours = Self.result(["name", "total"], [[.text("Lyon"), .integer(12)], [.text("Paris"), .integer(1)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(diff?.summary == "Your query returns 2 rows; the expected result has 3. 2 expected rows are missing and 1 row should not be there.")
        #expect(diff?.missing == [[.text("Leeds"), .integer(7)], [.text("Rome"), .null]])
        #expect(diff?.missingCount == 2)
        #expect(diff?.unexpected == [[.text("Paris"), .integer(1)]])
        #expect(diff?.expectedColumns == ["name", "total"])
    }

    @Test("where order matters, the right rows in the wrong order point at the first row out of place")
    func wrongOrder() {
        // setup
        let yours = Self.result(["name", "total"], [[.text("Lyon"), .integer(12)], [.text("Rome"), .null], [.text("Leeds"), .integer(7)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: true)
        // validate
        #expect(diff?.firstDifference?.rowNumber == 2)
        #expect(diff?.firstDifference?.yours == [.text("Rome"), .null])
        #expect(diff?.firstDifference?.expected == [.text("Leeds"), .integer(7)])
        #expect(
            diff?.summary.hasPrefix("The rows are right, but not in the expected order: row 2 should be (Leeds, 7), yours is (Rome, NULL).") == true)
        #expect(diff?.missingCount == 0 && diff?.unexpectedCount == 0)
    }

    @Test("rows repeated by a join are called out as duplicates")
    func duplicates() {
        // setup
        let yours = Self.result(["name", "total"], Self.expected.rows + [[.text("Lyon"), .integer(12)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(
            diff?.summary
                == "Your query returns 4 rows; the expected result has 3. Some rows appear more often than they should: a join that repeats rows, or a missing DISTINCT?"
        )
        #expect(diff?.unexpected == [[.text("Lyon"), .integer(12)]])
    }

    @Test("columns with the expected names in another order are pointed out")
    func swappedColumns() {
        // setup
        let yours = Self.result(["total", "name"], Self.expected.rows.map { Array($0.reversed()) })
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: Self.expected, ordered: false)
        // validate
        #expect(diff?.summary.hasPrefix("Your columns are in a different order: expected name, total; yours total, name.") == true)
    }

    @Test("values just either side of a rounding boundary still pair up")
    func roundingBoundary() {
        // setup: 6 significant digits put these in different buckets; the tolerance says they are equal
        let expected = Self.result(["x"], [[.real(1.000005)], [.real(2)]])
        let yours = Self.result(["x"], [[.real(2)], [.real(1.0000050000001)]])
        // MUT
        let diff = ResultComparison.diff(yours: yours, expected: expected, ordered: false)
        // validate
        #expect(diff == nil)
    }
}
