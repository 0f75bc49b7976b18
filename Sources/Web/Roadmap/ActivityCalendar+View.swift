import Foundation
import Learning

/// The activity calendar drawn as SVG: a column per week, a square per day shaded by how much was
/// done, month names above; with a sentence that says the same in words.
enum ActivityCalendarView {
    private static let pitch = 14
    private static let cell = 11
    private static let left = 30
    private static let top = 16

    static func html(_ calendar: ActivityCalendar) -> String {
        let weeks = (calendar.today - calendar.firstDay) / 7 + 1
        let width = left + weeks * pitch
        let height = top + 7 * pitch
        let summary = sentence(calendar)
        var svg =
            "<svg class=\"calendar\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(("Activity calendar: " + summary).htmlEscaped)\">"
        for (row, name) in [(0, "Mon"), (2, "Wed"), (4, "Fri")] {
            svg += "<text x=\"0\" y=\"\(top + row * pitch + 9)\">\(name)</text>"
        }
        var lastMonth = -1
        for day in stride(from: calendar.firstDay, through: calendar.today, by: 1) {
            let offset = day - calendar.firstDay
            let (column, row) = (offset / 7, offset % 7)
            let x = left + column * pitch
            if row == 0 {
                let month = Calendar.utc.component(.month, from: Date(timeIntervalSince1970: TimeInterval(day) * 86_400))
                if month != lastMonth, column < weeks - 2 {
                    svg += "<text x=\"\(x)\" y=\"10\">\(Calendar.utc.shortMonthSymbols[month - 1])</text>"
                    lastMonth = month
                }
            }
            svg += "<rect x=\"\(x)\" y=\"\(top + row * pitch)\" width=\"\(cell)\" height=\"\(cell)\" class=\"d\(calendar.shade(day))\"/>"
        }
        svg += "</svg>"
        var legend = "<span class=\"calendar-legend\" aria-hidden=\"true\">Less "
        for shade in 0...4 {
            legend += "<svg width=\"11\" height=\"11\" class=\"calendar\"><rect width=\"11\" height=\"11\" class=\"d\(shade)\"/></svg> "
        }
        legend += "More</span>"
        return """
            <section class="activity" aria-labelledby="activity-title">
            <h2 id="activity-title">Your activity this year</h2>
            <p class="small">\(summary.htmlEscaped) Each square is a day (UTC), darker the more you did: questions answered, lab runs, SQL exercises and topics whose state you changed.</p>
            <div class="calendar-box">\(svg)</div>\(legend)
            </section>
            """
    }

    static func sentence(_ calendar: ActivityCalendar) -> String {
        guard calendar.activeDays > 0 else { return "Nothing yet: what you do from today on shows here." }
        let days = { (count: Int) in count == 1 ? "1 day" : "\(count) days" }
        var text =
            "\(calendar.activeDays == 1 ? "1 active day" : "\(calendar.activeDays) active days") in the last year; longest streak \(days(calendar.longestStreak))"
        if calendar.currentStreak > 0 { text += ", current streak \(days(calendar.currentStreak))" }
        return text + "."
    }
}

extension Calendar {
    /// The Gregorian calendar in UTC, as the activity calendar counts days.
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .gmt
        calendar.locale = Locale(identifier: "en_US_POSIX")
        return calendar
    }()
}
