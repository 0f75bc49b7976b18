/// A year of a learner's days, for the calendar on the roadmap page: how much was done each day,
/// as a shade from 0 (nothing) to 4, and the figures a sentence can say (active days, streaks).
public struct ActivityCalendar: Sendable, Equatable {
    /// Days since 1970-01-01 (UTC) of the first and last (today) days shown.
    public let firstDay: Int
    public let today: Int
    /// Things done per day, by day number; days without any are absent.
    public let counts: [Int: Int]

    /// The year up to `today`, starting on a Monday so every column is a week.
    public init(counts: [Int: Int], today: Int) {
        self.today = today
        // 1970-01-01 was a Thursday: (day + 3) % 7 is 0 on Mondays.
        let start = today - 364
        let first = start - ((start + 3) % 7 + 7) % 7
        firstDay = first
        self.counts = counts.filter { $0.key >= first && $0.key <= today && $0.value > 0 }
    }

    /// The seconds at which the calendar's first day starts: what to read activity from.
    public static func since(today: Int) -> Int64 {
        Int64(ActivityCalendar(counts: [:], today: today).firstDay) * 86_400
    }

    /// 0 for nothing, then 1 (1–2 things), 2 (3–5), 3 (6–11), 4 (12 or more).
    public func shade(_ day: Int) -> Int {
        switch counts[day] ?? 0 {
        case 0: 0
        case 1...2: 1
        case 3...5: 2
        case 6...11: 3
        default: 4
        }
    }

    public var activeDays: Int { counts.count }

    /// The longest run of consecutive active days.
    public var longestStreak: Int {
        var longest = 0
        var current = 0
        var previous: Int?
        for day in counts.keys.sorted() {
            current = previous.map { $0 + 1 == day } == true ? current + 1 : 1
            longest = max(longest, current)
            previous = day
        }
        return longest
    }

    /// Consecutive active days ending today (or yesterday, when nothing is done yet today).
    public var currentStreak: Int {
        var day = counts[today] == nil ? today - 1 : today
        var streak = 0
        while counts[day] != nil {
            streak += 1
            day -= 1
        }
        return streak
    }
}
