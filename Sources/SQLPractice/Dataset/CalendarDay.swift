/// A date as a count of days since 1970-01-01, with the civil-calendar conversion done by integer
/// arithmetic (H. Hinnant's algorithm), so generated dates never depend on a time zone or locale.
struct CalendarDay: Comparable, Hashable {
    let daysSince1970: Int

    init(daysSince1970: Int) {
        self.daysSince1970 = daysSince1970
    }

    init(_ year: Int, _ month: Int, _ day: Int) {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        daysSince1970 = era * 146_097 + dayOfEra - 719_468
    }

    var components: (year: Int, month: Int, day: Int) {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`, the form SQLite's date functions read.
    var text: String {
        let (year, month, day) = components
        return "\(year)-\(String(month).leftPadded(to: 2))-\(String(day).leftPadded(to: 2))"
    }

    /// `YYYY-MM-DD HH:MM:SS` for a moment `seconds` into this day.
    func timestamp(atSecond seconds: Int) -> String {
        let hours = String(seconds / 3600).leftPadded(to: 2)
        let minutes = String(seconds / 60 % 60).leftPadded(to: 2)
        return "\(text) \(hours):\(minutes):\(String(seconds % 60).leftPadded(to: 2))"
    }

    func adding(days: Int) -> CalendarDay { CalendarDay(daysSince1970: daysSince1970 + days) }

    static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.daysSince1970 < rhs.daysSince1970 }
}
