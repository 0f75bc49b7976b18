import ContentKit
import Foundation

/// Reads a date or a moment written the ways servers commonly write them, for `near_now_ms`
/// checks: `2016-12-25`, `Sun Dec 25 2016` (a whole day), `Sun, 25 Dec 2016 10:00:00 GMT`,
/// `2016-12-25T10:00:00.000Z` (or with an offset), and JavaScript's `Date.toString()`.
///
/// By hand, with English names and no locale, so a check reads the same text the same way on
/// every machine.
enum DateText {
    /// The moment the text names (a zero-length interval), or the whole day a date names; `nil`
    /// when the text is none of the forms above.
    static func interval(_ text: String) -> DateInterval? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let day = CalendarDay(iso: text) ?? dateString(text) {
            return DateInterval(start: Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400), duration: 86_400)
        }
        guard let seconds = utcString(text) ?? iso8601(text) ?? javaScriptString(text) else { return nil }
        return DateInterval(start: Date(timeIntervalSince1970: seconds), duration: 0)
    }

    /// `Sun Dec 25 2016`
    private static func dateString(_ text: String) -> CalendarDay? {
        guard let match = text.wholeMatch(of: /[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{4})/),
            let month = month(match.1), let day = Int(match.2), let year = Int(match.3)
        else { return nil }
        return valid(year, month, day)
    }

    /// `Sun, 25 Dec 2016 10:00:00 GMT`
    private static func utcString(_ text: String) -> Double? {
        guard let match = text.wholeMatch(of: /[A-Z][a-z]{2}, (\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) (?:GMT|UTC)/),
            let month = month(match.2), let day = Int(match.1), let year = Int(match.3),
            let date = valid(year, month, day)
        else { return nil }
        return seconds(date, hour: match.4, minute: match.5, second: match.6, fraction: nil, offsetMinutes: 0)
    }

    /// `2016-12-25T10:00:00.000Z`, `2016-12-25 10:00:00+01:00`
    private static func iso8601(_ text: String) -> Double? {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})/),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            let date = valid(year, month, day), let offset = offsetMinutes(String(match.8))
        else { return nil }
        return seconds(date, hour: match.4, minute: match.5, second: match.6, fraction: match.7, offsetMinutes: offset)
    }

    /// `Sun Dec 25 2016 10:00:00 GMT+0100 (Central European Standard Time)`
    private static func javaScriptString(_ text: String) -> Double? {
        guard let match = text.prefixMatch(of: /[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT([+-]\d{4})/),
            let month = month(match.1), let day = Int(match.2), let year = Int(match.3),
            let date = valid(year, month, day), let offset = offsetMinutes(String(match.7))
        else { return nil }
        return seconds(date, hour: match.4, minute: match.5, second: match.6, fraction: nil, offsetMinutes: offset)
    }

    private static func month(_ name: Substring) -> Int? {
        CalendarDay.monthNames.firstIndex { $0.hasPrefix(name) }.map { $0 + 1 }
    }

    private static func valid(_ year: Int, _ month: Int, _ day: Int) -> CalendarDay? {
        CalendarDay(iso: "\(String(year).leftPadded(to: 4))-\(String(month).leftPadded(to: 2))-\(String(day).leftPadded(to: 2))")
    }

    /// `Z` is 0; `+01:00` and `+0100` are 60.
    private static func offsetMinutes(_ text: String) -> Int? {
        if text == "Z" { return 0 }
        let digits = text.dropFirst().filter(\.isNumber)
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)) else { return nil }
        return (text.hasPrefix("-") ? -1 : 1) * (hours * 60 + minutes)
    }

    private static func seconds(
        _ day: CalendarDay, hour: Substring, minute: Substring, second: Substring,
        fraction: Substring?, offsetMinutes: Int
    ) -> Double? {
        guard let hour = Int(hour), let minute = Int(minute), let second = Int(second),
            hour < 24, minute < 60, second < 61
        else { return nil }
        let whole = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Double(whole) + (fraction.flatMap { Double("0." + $0) } ?? 0)
    }
}
