import Foundation
import Learning
import SQLKit
import Synchronization

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
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO lab_runs (\(unsafeRaw: Self.columns), report)
                VALUES (\(bind: run.id), \(bind: run.learnerID), \(bind: run.labID), \(bind: run.startedAt), \(bind: run.finishedAt),
                        \(bind: run.passed ? 1 : 0), \(bind: run.stagesPassed), \(bind: run.stageCount), \(bind: run.source.rawValue), \(bind: report))
                """
            ).run()
        }
    }

    public func history(learnerID: String, labID: String?, limit: Int) async throws -> [LabRun] {
        try await database.withSQL { sql in
            let query: SQLQueryString =
                labID.map { lab in
                    "SELECT \(unsafeRaw: Self.columns) FROM lab_runs WHERE learner_id = \(bind: learnerID) AND lab_id = \(bind: lab)"
                } ?? "SELECT \(unsafeRaw: Self.columns) FROM lab_runs WHERE learner_id = \(bind: learnerID)"
            return try await sql.raw(query + " ORDER BY finished_at DESC, id DESC LIMIT \(bind: limit)").all().map(Self.run)
        }
    }

    public func find(id: String, learnerID: String) async throws -> StoredLabRun? {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns), report FROM lab_runs WHERE id = \(bind: id) AND learner_id = \(bind: learnerID)
                """
            ).first().map { StoredLabRun(run: try Self.run($0), report: try $0.decode(column: "report", as: String.self)) }
        }
    }

    public func bestResults(learnerID: String) async throws -> [String: LabRun] {
        try await database.withSQL { sql in
            let rows = try await sql.raw(
                """
                SELECT \(unsafeRaw: Self.columns) FROM (
                    SELECT \(unsafeRaw: Self.columns), ROW_NUMBER() OVER (
                        PARTITION BY lab_id ORDER BY passed DESC, stages_passed DESC, finished_at DESC, id DESC
                    ) AS place
                    FROM lab_runs WHERE learner_id = \(bind: learnerID)
                ) AS ranked WHERE place = 1
                """
            ).all()
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
