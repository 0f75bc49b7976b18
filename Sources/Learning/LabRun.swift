import Foundation
import Synchronization

/// Where a stored lab run came from: started on a lab page, or checked locally with
/// `groundwork check … --upload` and sent in through the API.
public enum LabRunSource: String, Sendable, Codable {
    case web, upload
}

/// One finished lab run as history lists show it; its JSON report is read separately, because a
/// list never needs it and a report can be large.
public struct LabRun: Sendable, Equatable {
    public let id: String
    public let learnerID: String
    public let labID: String
    /// Seconds since 1970.
    public let startedAt: Int64
    public let finishedAt: Int64
    /// Every stage of the lab passed; a run of stages 1…N only is never a pass.
    public let passed: Bool
    public let stagesPassed: Int
    /// The lab's number of stages when the run was made.
    public let stageCount: Int
    public let source: LabRunSource

    public init(
        id: String, learnerID: String, labID: String, startedAt: Int64, finishedAt: Int64, passed: Bool,
        stagesPassed: Int, stageCount: Int, source: LabRunSource
    ) {
        self.id = id
        self.learnerID = learnerID
        self.labID = labID
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.passed = passed
        self.stagesPassed = stagesPassed
        self.stageCount = stageCount
        self.source = source
    }

    /// A new run id: a UUID version 7, whose text sorts in the order the ids were made (by the
    /// millisecond, then by a counter within it), so runs finished within the same second still
    /// list newest first.
    public static func makeID() -> String {
        let wall = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        let (millis, sequence) = idClock.withLock { state in
            if wall > state.millis {
                state = (wall, UInt16.random(in: 0...0x7ff))
            } else if state.sequence < 0xfff {
                state.sequence += 1
            } else {
                state = (state.millis + 1, 0)
            }
            return state
        }
        var bytes = (0..<6).map { UInt8(truncatingIfNeeded: millis >> (8 * (5 - $0))) }
        bytes += [0x70 | UInt8(sequence >> 8), UInt8(truncatingIfNeeded: sequence)]
        bytes += (0..<8).map { _ in UInt8.random(in: 0...255) }
        bytes[8] = 0x80 | (bytes[8] & 0x3f)
        let hex = bytes.hexEncoded
        return [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
            .joined(separator: "-")
    }

    /// The last id's millisecond and counter, so ids made in the same millisecond still ascend.
    private static let idClock = Mutex<(millis: UInt64, sequence: UInt16)>((0, 0))
}

/// A run together with its JSON report, for a page that shows one run in full.
public struct StoredLabRun: Sendable, Equatable {
    public let run: LabRun
    public let report: String

    public init(run: LabRun, report: String) {
        self.run = run
        self.report = report
    }
}
