import Foundation
import Learning
import SQLKit
import Storage
import TestSupport
import Testing

/// Lab runs on both databases: history newest first and per learner, the best result per lab,
/// and the topics a learner has verified by passing labs.
@Suite("Lab run repository", .serialized)
struct LabRunRepositoryTests {
    static func run(
        _ learner: String, _ lab: String, finishedAt: Int64, passed: Bool = false, stagesPassed: Int = 0,
        stageCount: Int = 6, source: LabRunSource = .web
    ) -> LabRun {
        LabRun(
            id: LabRun.makeID(), learnerID: learner, labID: lab, startedAt: finishedAt - 1, finishedAt: finishedAt, passed: passed,
            stagesPassed: passed ? stageCount : stagesPassed, stageCount: stageCount, source: source)
    }

    /// Two learners in a fresh database.
    static func withLearners(_ kind: DatabaseKind, _ body: @escaping (SQLLabRunRepository, User, User, Database) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let ada = try await users.create(email: "ada@example.org", passwordHash: "x", role: .learner)
                let bob = try await users.create(email: "bob@example.org", passwordHash: "x", role: .learner)
                try await body(SQLLabRunRepository(database: database), ada, bob, database)
            }
        }
    }

    @Test("history lists a learner's runs newest first, of one lab or all, never another learner's", arguments: DatabaseKind.allCases)
    func historyNewestFirst(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, bob, _ in
            // setup
            let first = Self.run(ada.id, "http-basics", finishedAt: 100)
            let second = Self.run(ada.id, "rest-json", finishedAt: 200, source: .upload)
            let third = Self.run(ada.id, "http-basics", finishedAt: 200, passed: true)
            for run in [first, second, third, Self.run(bob.id, "http-basics", finishedAt: 300)] {
                try await runs.record(run, report: #"{"lab":"\#(run.labID)"}"#)
            }
            // MUT
            let all = try await runs.history(learnerID: ada.id, labID: nil, limit: 10)
            let one = try await runs.history(learnerID: ada.id, labID: "http-basics", limit: 10)
            let limited = try await runs.history(learnerID: ada.id, labID: nil, limit: 1)
            // validate: runs finished in the same second list in the order they were made
            #expect(all.map(\.id) == [third.id, second.id, first.id])
            #expect(one.map(\.id) == [third.id, first.id])
            #expect(limited.map(\.id) == [third.id])
            #expect(all[1] == second)
            #expect(all[1].source == .upload)
        }
    }

    @Test("a run is found with its report only by its learner", arguments: DatabaseKind.allCases)
    func findWithReport(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, bob, _ in
            // setup
            let run = Self.run(ada.id, "http-basics", finishedAt: 100, passed: true)
            try await runs.record(run, report: #"{"lab":"http-basics","note":"ünïcode ✓"}"#)
            // MUT
            let found = try await runs.find(id: run.id, learnerID: ada.id)
            let foreign = try await runs.find(id: run.id, learnerID: bob.id)
            // validate
            #expect(found == StoredLabRun(run: run, report: #"{"lab":"http-basics","note":"ünïcode ✓"}"#))
            #expect(foreign == nil)
        }
    }

    @Test("the best result of each lab: a pass beats any failure, more stages beat fewer, then the newest", arguments: DatabaseKind.allCases)
    func bestResults(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, bob, _ in
            // setup
            let pass = Self.run(ada.id, "http-basics", finishedAt: 100, passed: true)
            let laterFailure = Self.run(ada.id, "http-basics", finishedAt: 200, stagesPassed: 5)
            let fewer = Self.run(ada.id, "rest-json", finishedAt: 300, stagesPassed: 2, stageCount: 7)
            let more = Self.run(ada.id, "rest-json", finishedAt: 100, stagesPassed: 4, stageCount: 7)
            let moreAgain = Self.run(ada.id, "rest-json", finishedAt: 150, stagesPassed: 4, stageCount: 7)
            for run in [pass, laterFailure, fewer, more, moreAgain, Self.run(bob.id, "data-integrity", finishedAt: 1)] {
                try await runs.record(run, report: "{}")
            }
            // MUT
            let best = try await runs.bestResults(learnerID: ada.id)
            // validate
            #expect(best == ["http-basics": pass, "rest-json": moreAgain])
            #expect(try await runs.bestResults(learnerID: "nobody").isEmpty)
        }
    }

    @Test(
        "verified topics are those of passed labs, as the lab files say now; failures and other learners' passes do not count",
        arguments: DatabaseKind.allCases)
    func verifiedTopics(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, bob, _ in
            // setup
            let topics = ["http-basics": ["http"], "rest-json": ["rest", "json"], "data-integrity": ["transactions-and-isolation"]]
            try await runs.record(Self.run(ada.id, "http-basics", finishedAt: 1, passed: true), report: "{}")
            try await runs.record(Self.run(ada.id, "http-basics", finishedAt: 2, passed: true), report: "{}")
            try await runs.record(Self.run(ada.id, "rest-json", finishedAt: 3, stagesPassed: 6, stageCount: 7), report: "{}")
            try await runs.record(Self.run(bob.id, "data-integrity", finishedAt: 4, passed: true), report: "{}")
            try await runs.record(Self.run(ada.id, "retired-lab", finishedAt: 5, passed: true), report: "{}")
            // MUT
            let verified = try await runs.verifiedTopicIDs(learnerID: ada.id, topicsByLab: topics)
            // validate
            #expect(verified == ["http"])
            #expect(try await runs.verifiedTopicIDs(learnerID: bob.id, topicsByLab: topics) == ["transactions-and-isolation"])
        }
    }

    @Test("the database refuses a source other than web or upload, and more stages passed than the lab has", arguments: DatabaseKind.allCases)
    func constraints(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, _, database in
            // setup
            let learnerID = ada.id
            @Sendable func insertFromEmail() async throws {
                try await database.withSQL { sql in
                    try await sql.raw(
                        """
                        INSERT INTO lab_runs (id, learner_id, lab_id, started_at, finished_at, passed, stages_passed, stage_count, source, report)
                        VALUES ('x', \(bind: learnerID), 'http-basics', 0, 0, 0, 0, 6, 'email', '{}')
                        """
                    ).run()
                }
            }
            // MUT + validate
            let tooManyStages = await #expect(throws: (any Error).self) {
                try await runs.record(Self.run(learnerID, "http-basics", finishedAt: 1, stagesPassed: 7, stageCount: 6), report: "{}")
            }
            let unknownSource = await #expect(throws: (any Error).self) { try await insertFromEmail() }
            #expect(tooManyStages.map(isCheckConstraintViolation) == true, "\(String(describing: tooManyStages))")
            #expect(unknownSource.map(isCheckConstraintViolation) == true, "\(String(describing: unknownSource))")
            let stored = try await runs.history(learnerID: learnerID, labID: nil, limit: 10)
            #expect(stored.isEmpty)
        }
    }

    @Test("a learner's runs go when the learner is deleted", arguments: DatabaseKind.allCases)
    func cascadeOnDelete(kind: DatabaseKind) async throws {
        try await Self.withLearners(kind) { runs, ada, _, database in
            // setup
            try await runs.record(Self.run(ada.id, "http-basics", finishedAt: 1), report: "{}")
            // MUT
            try await database.withSQL { try await $0.raw("DELETE FROM users WHERE id = \(bind: ada.id)").run() }
            // validate
            #expect(try await runs.history(learnerID: ada.id, labID: nil, limit: 10).isEmpty)
        }
    }

    @Test("run ids are UUIDs of version 7 whose text sorts in the order they were made, even within one millisecond")
    func idsSortByTime() {
        // MUT
        let ids = (0..<500).map { _ in LabRun.makeID() }
        // validate
        #expect(ids.allSatisfy { UUID(uuidString: $0) != nil && Array($0)[14] == "7" && $0 == $0.lowercased() })
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }
}
