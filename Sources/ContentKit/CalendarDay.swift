/// A day of the proleptic Gregorian calendar in UTC, with the spellings date APIs use for it.
///
/// Labs draw random days and compare a server's answer with their spellings (`2016-12-25`,
/// `1482624000000`, `Sun, 25 Dec 2016 00:00:00 GMT`, `Sun Dec 25 2016`); the SQL practice dataset
/// is generated day by day. Plain arithmetic (Howard Hinnant's algorithms), no time zone database
/// or locale, so a seed gives the same days everywhere.
public struct CalendarDay: Sendable, Hashable, Comparable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `daysSinceEpoch` days after 1970-01-01 (Howard Hinnant's civil-from-days).
    public init(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Reads `2016-12-25`; `nil` for anything else, or for a day the calendar does not have.
    public init?(iso text: String) {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        self.init(year: year, month: month, day: day)
        guard CalendarDay(daysSinceEpoch: daysSinceEpoch) == self else { return nil }
    }

    /// Days from 1970-01-01 to this day (negative before it).
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Milliseconds since the Unix epoch at midnight UTC, as JavaScript's `Date.getTime()` gives it.
    public var unixMilliseconds: Int { daysSinceEpoch * 86_400_000 }

    /// `2016-12-25`
    public var iso: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    /// `Sun, 25 Dec 2016 00:00:00 GMT`, as JavaScript's `toUTCString()` writes midnight.
    public var utc: String { "\(weekdayName), \(pad(day, 2)) \(monthName) \(pad(year, 4)) 00:00:00 GMT" }

    /// `Sun Dec 25 2016`, as JavaScript's `toDateString()` writes it.
    public var text: String { "\(weekdayName) \(monthName) \(pad(day, 2)) \(pad(year, 4))" }

    /// `25 December 2016`
    public var long: String { "\(pad(day, 2)) \(Self.monthNames[month - 1]) \(pad(year, 4))" }

    /// The day `days` later (earlier when negative).
    public func adding(days: Int) -> CalendarDay { CalendarDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// `2016-12-25 HH:MM:SS` for the moment `seconds` into this day, the form SQL date functions read.
    public func timestamp(atSecond seconds: Int) -> String {
        "\(iso) \(pad(seconds / 3600, 2)):\(pad(seconds / 60 % 60, 2)):\(pad(seconds % 60, 2))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public static let monthNames = [
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    ]
    public static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    private var monthName: String { String(Self.monthNames[month - 1].prefix(3)) }

    /// 1970-01-01 was a Thursday.
    private var weekdayName: String {
        let days = daysSinceEpoch
        return Self.weekdayNames[((days % 7) + 7 + 4) % 7]
    }

    private func pad(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
