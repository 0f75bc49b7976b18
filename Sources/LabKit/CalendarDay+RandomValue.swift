import ContentKit

extension CalendarDay {
    /// What a `date` random value called NAME binds besides NAME itself, in this order.
    static let derivedSuffixes = ["_unix", "_utc", "_text", "_long", "_eve_text"]

    var derivedValues: [JSONValue] {
        [
            .number(Double(unixMilliseconds)), .string(utc), .string(text), .string(long),
            .string(CalendarDay(daysSinceEpoch: daysSinceEpoch - 1).text),
        ]
    }
}
