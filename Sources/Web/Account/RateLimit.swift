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
        return retryAfter(oldest: oldest, now: now)
    }

    /// Seconds until the oldest counted event leaves the window: at least 1, and never more than the
    /// window, even if a clock correction left events stored "in the future".
    private func retryAfter(oldest: Int64, now: Int64) -> Int {
        let remaining = Double(min(oldest, now) + windowMilliseconds - now) / 1000
        return max(1, Int(remaining.rounded(.up)))
    }

    /// Counts an attempt by `subject` unless it is already at the limit, in one step (see
    /// ``RateLimitRepository/admit(scope:subject:at:since:limit:)``). Returns the seconds until it
    /// may try again when refused, nil when the attempt was counted and may go ahead.
    func admit(_ subject: String, now: Date = Date()) async throws -> Int? {
        let now = Self.milliseconds(now)
        let recent = try await events.admit(scope: scope, subject: subject, at: now, since: now - windowMilliseconds, limit: limit)
        guard recent.count >= limit, let oldest = recent.oldest else { return nil }
        return retryAfter(oldest: oldest, now: now)
    }

    /// Throws 429 with `Retry-After` and `message(seconds)` unless `subject` may go ahead (counting the attempt).
    func enforce(_ subject: String, now: Date = Date(), message: (Int) -> String) async throws {
        if let wait = try await admit(subject, now: now) {
            throw UserFacingError(.tooManyRequests, message(wait), headers: [.retryAfter: String(wait)])
        }
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
