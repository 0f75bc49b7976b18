/// When a missed quiz question comes back (spaced repetition), as a pure rule the repository applies.
///
/// A miss brings the question back after a day. Each right answer given once it is due pushes the
/// next review further out (3, 7, 16, 35, then every 75 days); a miss starts again at one day. A
/// right answer *before* the question is due changes nothing: answering straight after reading the
/// explanation proves little about remembering it.
public enum ReviewSchedule {
    /// Days until the next review after 0, 1, 2, … right answers in a row; the last step repeats.
    public static let intervalDays: [Int64] = [1, 3, 7, 16, 35, 75]

    /// Where one question stands: right answers in a row since its last miss, and when it is due.
    public struct Entry: Equatable, Sendable {
        public let rightInARow: Int
        public let dueAt: Int64

        public init(rightInARow: Int, dueAt: Int64) {
            self.rightInARow = rightInARow
            self.dueAt = dueAt
        }
    }

    /// The question's schedule after an answer at `now`; nil when the answer changes nothing (a right
    /// answer to a question never missed, or to one not due yet).
    public static func next(after isCorrect: Bool, current: Entry?, now: Int64) -> Entry? {
        guard isCorrect else { return Entry(rightInARow: 0, dueAt: now + days(0)) }
        guard let current, current.dueAt <= now else { return nil }
        let rightInARow = current.rightInARow + 1
        return Entry(rightInARow: rightInARow, dueAt: now + days(rightInARow))
    }

    private static func days(_ rightInARow: Int) -> Int64 {
        intervalDays[min(rightInARow, intervalDays.count - 1)] * 86_400
    }
}
