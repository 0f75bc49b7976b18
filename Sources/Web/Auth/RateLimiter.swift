import Foundation

/// Counts events per key in a sliding window and says how long to wait once the limit is reached.
/// Kept in memory, so it is per instance: for limits on this instance's own resources (the SQL
/// practice sandbox's threads). Limits on what a person may do across instances use ``RateLimit``.
public actor RateLimiter {
    public let limit: Int
    public let window: TimeInterval
    private var events: [String: [Date]] = [:]

    public init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds until `key` may try again, or nil when it is under the limit.
    public func retryAfter(_ key: String, now: Date = Date()) -> Int? {
        let recent = prune(key, now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((oldest.addingTimeInterval(window).timeIntervalSince(now)).rounded(.up)))
    }

    public func record(_ key: String, now: Date = Date()) {
        events[key] = prune(key, now: now) + [now]
    }

    public func reset(_ key: String) {
        events[key] = nil
    }

    private func prune(_ key: String, now: Date) -> [Date] {
        let recent = (events[key] ?? []).filter { now.timeIntervalSince($0) < window }
        events[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
