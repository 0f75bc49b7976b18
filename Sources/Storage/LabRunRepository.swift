import Foundation
import SQLKit
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

    public init(id: String, learnerID: String, labID: String, startedAt: Int64, finishedAt: Int64, passed: Bool,
                stagesPassed: Int, stageCount: Int, source: LabRunSource) {
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

/// Every lab run a learner has made, so they see their history and a passed lab keeps its topics
/// verified. Runs are only ever added: a later failure never takes back an earlier pass.
public protocol LabRunRepository: Sendable {
    func record(_ run: LabRun, report: String) async throws
    /// The learner's runs, newest first, of one lab or (with `labID` nil) of every lab.
    func history(learnerID: String, labID: String?, limit: Int) async throws -> [LabRun]
    /// One run with its report, if it is this learner's.
    func find(id: String, learnerID: String) async throws -> StoredLabRun?
    /// The best run of each lab the learner has tried, by lab id: a pass before a failure, more
    /// stages passed before fewer, then the newest.
    func bestResults(learnerID: String) async throws -> [String: LabRun]
    /// The topics the learner has verified: those of every lab they have passed. `topicsByLab`
    /// comes from the current lab files, so a lab that now verifies more topics verifies them for
    /// past passes too.
    func verifiedTopicIDs(learnerID: String, topicsByLab: [String: [String]]) async throws -> Set<String>
}

/// ``LabRunRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLLabRunRepository: LabRunRepository {
    let database: Database
    static let columns = "id, learner_id, lab_id, started_at, finished_at, passed, stages_passed, stage_count, source"

    public init(database: Database) { self.database = database }

    public func record(_ run: LabRun, report: String) async throws {
        try await database.withSQL { sql in
            try await sql.raw("""
                INSERT INTO lab_runs (\(unsafeRaw: Self.columns), report)
                VALUES (\(bind: run.id), \(bind: run.learnerID), \(bind: run.labID), \(bind: run.startedAt), \(bind: run.finishedAt),
                        \(bind: run.passed ? 1 : 0), \(bind: run.stagesPassed), \(bind: run.stageCount), \(bind: run.source.rawValue), \(bind: report))
                """).run()
        }
    }

    public func history(learnerID: String, labID: String?, limit: Int) async throws -> [LabRun] {
        try await database.withSQL { sql in
            let query: SQLQueryString = labID.map { lab in
                "SELECT \(unsafeRaw: Self.columns) FROM lab_runs WHERE learner_id = \(bind: learnerID) AND lab_id = \(bind: lab)"
            } ?? "SELECT \(unsafeRaw: Self.columns) FROM lab_runs WHERE learner_id = \(bind: learnerID)"
            return try await sql.raw(query + " ORDER BY finished_at DESC, id DESC LIMIT \(bind: limit)").all().map(Self.run)
        }
    }

    public func find(id: String, learnerID: String) async throws -> StoredLabRun? {
        try await database.withSQL { sql in
            try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns), report FROM lab_runs WHERE id = \(bind: id) AND learner_id = \(bind: learnerID)
                """).first().map { StoredLabRun(run: try Self.run($0), report: try $0.decode(column: "report", as: String.self)) }
        }
    }

    public func bestResults(learnerID: String) async throws -> [String: LabRun] {
        try await database.withSQL { sql in
            let rows = try await sql.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM (
                    SELECT \(unsafeRaw: Self.columns), ROW_NUMBER() OVER (
                        PARTITION BY lab_id ORDER BY passed DESC, stages_passed DESC, finished_at DESC, id DESC
                    ) AS place
                    FROM lab_runs WHERE learner_id = \(bind: learnerID)
                ) AS ranked WHERE place = 1
                """).all()
            let runs = try rows.map(Self.run)
            return Dictionary(runs.map { ($0.labID, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public func verifiedTopicIDs(learnerID: String, topicsByLab: [String: [String]]) async throws -> Set<String> {
        let passedLabs = try await database.withSQL { sql in
            try await sql.raw("SELECT DISTINCT lab_id FROM lab_runs WHERE learner_id = \(bind: learnerID) AND passed = 1").all()
                .map { try $0.decode(column: "lab_id", as: String.self) }
        }
        return Set(passedLabs.flatMap { topicsByLab[$0] ?? [] })
    }

    static func run(_ row: any SQLRow) throws -> LabRun {
        LabRun(
            id: try row.decode(column: "id", as: String.self),
            learnerID: try row.decode(column: "learner_id", as: String.self),
            labID: try row.decode(column: "lab_id", as: String.self),
            startedAt: try row.decode(column: "started_at", as: Int64.self),
            finishedAt: try row.decode(column: "finished_at", as: Int64.self),
            passed: try row.decode(column: "passed", as: Int.self) != 0,
            stagesPassed: try row.decode(column: "stages_passed", as: Int.self),
            stageCount: try row.decode(column: "stage_count", as: Int.self),
            source: LabRunSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .web
        )
    }
}
