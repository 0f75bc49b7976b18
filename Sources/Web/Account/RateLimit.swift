import Foundation
import Storage

/// A limit on how often one subject (an address, an account, a learner) may do something: at most
/// `limit` times in any sliding `window`. The events are counted in the database, so the limit
/// holds whichever instance behind the proxy answers.
struct RateLimit: Sendable {
    /// Names this limit's events among the others in the database.
    let scope: String
    let limit: Int
    let window: TimeInterval
    let events: any RateLimitRepository

    /// Seconds until `subject` may try again, or nil when it is under the limit.
    func retryAfter(_ subject: String, now: Date = Date()) async throws -> Int? {
        let now = Self.milliseconds(now)
        let recent = try await events.recent(scope: scope, subject: subject, since: now - windowMilliseconds)
        guard recent.count >= limit, let oldest = recent.oldest else { return nil }
        return max(1, Int((Double(oldest + windowMilliseconds - now) / 1000).rounded(.up)))
    }

    func record(_ subject: String, now: Date = Date()) async throws {
        let now = Self.milliseconds(now)
        try await events.record(scope: scope, subject: subject, at: now, forgetThrough: now - windowMilliseconds)
    }

    func reset(_ subject: String) async throws {
        try await events.reset(scope: scope, subject: subject)
    }

    private var windowMilliseconds: Int64 { Int64((window * 1000).rounded()) }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }
}
