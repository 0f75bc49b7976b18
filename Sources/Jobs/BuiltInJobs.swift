import Foundation
import Learning
import Logging
import Storage

/// The job kinds every Groundwork worker runs.
///
/// - `sessions.cleanup` deletes expired sign-in sessions; workers enqueue it every hour, once
///   across all instances.
/// - `probe` does nothing but wait (and optionally fail), so an operator can see that workers are
///   alive (`groundwork jobs enqueue probe`) and tests can have a job that is mid-run on demand.
public enum BuiltInJobs {
    public static let sessionsCleanup = "sessions.cleanup"
    public static let probe = "probe"
    public static let kinds = [probe, sessionsCleanup]

    /// What a `probe` job does: sleep `sleep_ms` milliseconds, then fail with `fail` if set.
    public struct ProbePayload: Codable, Sendable, Equatable {
        public var sleepMilliseconds: Int?
        public var fail: String?

        enum CodingKeys: String, CodingKey {
            case sleepMilliseconds = "sleep_ms"
            case fail
        }

        public init(sleepMilliseconds: Int? = nil, fail: String? = nil) {
            self.sleepMilliseconds = sleepMilliseconds
            self.fail = fail
        }

        public var json: String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
        }
    }

    /// A probe that was asked to fail.
    public struct ProbeFailure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A job whose payload its handler cannot read.
    public struct InvalidPayload: Error, CustomStringConvertible {
        public let description: String
    }

    public static func handlers(database: Database, logger: Logger) -> [String: JobWorkerPool.Handler] {
        let sessions = SQLSessionRepository(database: database)
        return [
            sessionsCleanup: { _ in
                let removed = try await sessions.deleteExpired(now: WallClock.nowSeconds())
                logger.info("removed expired sessions", metadata: ["count": "\(removed)"])
            },
            probe: { job in
                let payload: ProbePayload
                do {
                    payload = try JSONDecoder().decode(ProbePayload.self, from: Data(job.payload.utf8))
                } catch {
                    throw InvalidPayload(description: "a probe's payload must be JSON like {\"sleep_ms\": 100}, not \(job.payload)")
                }
                if let sleep = payload.sleepMilliseconds, sleep > 0 {
                    try await Task.sleep(for: .milliseconds(sleep))
                }
                if let reason = payload.fail {
                    throw ProbeFailure(description: reason)
                }
            },
        ]
    }

    /// The periodic jobs every worker pool enqueues.
    public static let schedules = [JobWorkerPool.Schedule(kind: sessionsCleanup, intervalMilliseconds: 3_600_000)]
}
