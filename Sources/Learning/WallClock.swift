import Foundation

/// The one reading of the wall clock, for timestamps that are stored. (Durations and deadlines
/// use Swift's `ContinuousClock`, which a clock correction cannot move.) Most columns hold seconds
/// since 1970; the job queue's hold milliseconds.
public enum WallClock {
    /// Seconds since 1970.
    public static func nowSeconds() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Milliseconds since 1970.
    public static func nowMilliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
