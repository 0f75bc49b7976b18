import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Live lab runs on both databases: one unfinished run per learner across connections, events
/// numbered in order, the end written with the last event, silent runs abandoned, old runs forgotten.
@Suite("Live lab run repository", .serialized)
struct LiveLabRunRepositoryTests {
    static let abandoned = (name: "problem", data: #"{"detail":"abandoned"}"#)

    /// Two connections (as two instances) to one fresh database with learners ada and bob.
    static func withTwoInstances(
        _ kind: DatabaseKind,
        _ body: (SQLLiveLabRunRepository, SQLLiveLabRunRepository, Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { first in
                try await location.use { second in
                    let users = SQLUserRepository(database: first)
                    _ = try await users.ensure(id: "ada", email: "ada@example.org")
                    _ = try await users.ensure(id: "bob", email: "bob@example.org")
                    try await body(SQLLiveLabRunRepository(database: first), SQLLiveLabRunRepository(database: second), first)
                }
            }
        }
    }

    static func run(_ id: String, learner: String = "ada", at: Int64 = 1_000) -> LiveLabRun {
        LiveLabRun(id: id, learnerID: learner, labID: "http-basics", startedAt: at, heartbeatAt: at)
    }

    static func begin(_ repository: SQLLiveLabRunRepository, _ run: LiveLabRun, now: Int64 = 1_000) async throws -> LiveLabRun? {
        try await repository.begin(run, abandonedThrough: now - 30_000, abandonedEvent: abandoned, forgetThrough: now - 600_000)
    }

    @Test("a learner has one unfinished run whichever instance asks; another learner is not held up", arguments: DatabaseKind.allCases)
    func oneRunPerLearner(kind: DatabaseKind) async throws {
        try await Self.withTwoInstances(kind) { first, second, _ in
            // MUT
            let started = try await Self.begin(first, Self.run("a"))
            let refused = try await Self.begin(second, Self.run("b"))
            let other = try await Self.begin(second, Self.run("c", learner: "bob"))
            _ = try await first.append(runID: "a", events: [("done", "{}")], at: 2_000, finish: true)
            let afterEnd = try await Self.begin(second, Self.run("d", at: 2_000), now: 2_000)
            // validate
            #expect(started == nil)
            #expect(refused?.id == "a")
            #expect(other == nil)
            #expect(afterEnd == nil)
            #expect(try await first.find(id: "a")?.finished == true)
            #expect(try await first.find(id: "b") == nil)
            #expect(try await second.find(id: "d") == Self.run("d", at: 2_000))
        }
    }

    @Test(
        "events are numbered in the order they were appended; the end comes with the last; nothing is added after it",
        arguments: DatabaseKind.allCases)
    func eventsInOrder(kind: DatabaseKind) async throws {
        try await Self.withTwoInstances(kind) { first, second, _ in
            // setup
            _ = try await Self.begin(first, Self.run("a"))
            // MUT
            let appended = try await first.append(runID: "a", events: [("stage", "{\"n\":1}"), ("step", "ünïcode ✓")], at: 1_100, finish: false)
            let beat = try await first.append(runID: "a", events: [], at: 1_200, finish: false)
            let ended = try await first.append(runID: "a", events: [("step", "{}"), ("done", "{}")], at: 1_300, finish: true)
            let late = try await first.append(runID: "a", events: [("step", "{}")], at: 1_400, finish: false)
            // validate
            #expect(appended && beat && ended)
            #expect(!late)
            #expect(
                try await second.events(runID: "a", after: 0) == [
                    LabRunEvent(seq: 1, name: "stage", data: "{\"n\":1}"), LabRunEvent(seq: 2, name: "step", data: "ünïcode ✓"),
                    LabRunEvent(seq: 3, name: "step", data: "{}"), LabRunEvent(seq: 4, name: "done", data: "{}"),
                ])
            #expect(try await second.events(runID: "a", after: 2).map(\.seq) == [3, 4])
            #expect(try await second.find(id: "a")?.heartbeatAt == 1_300)
        }
    }

    @Test(
        "a run is abandoned only once its heartbeat is old enough, with the given event last; then its own instance can add nothing",
        arguments: DatabaseKind.allCases)
    func abandonSilentRun(kind: DatabaseKind) async throws {
        try await Self.withTwoInstances(kind) { first, second, _ in
            // setup
            _ = try await Self.begin(first, Self.run("a"))
            _ = try await first.append(runID: "a", events: [("stage", "{}")], at: 5_000, finish: false)
            // MUT
            let tooSoon = try await second.abandon(runID: "a", abandonedThrough: 4_999, event: Self.abandoned)
            let abandoned = try await second.abandon(runID: "a", abandonedThrough: 5_000, event: Self.abandoned)
            let twice = try await second.abandon(runID: "a", abandonedThrough: 9_000, event: Self.abandoned)
            let lateEvent = try await first.append(runID: "a", events: [("done", "{}")], at: 9_000, finish: true)
            // validate
            #expect(!tooSoon && abandoned && !twice && !lateEvent)
            #expect(try await second.events(runID: "a", after: 0).map(\.name) == ["stage", "problem"])
            #expect(try await second.find(id: "a")?.finished == true)
        }
    }

    @Test("starting a run ends the learner's silent run first, and forgets long-gone runs with their events", arguments: DatabaseKind.allCases)
    func beginAbandonsAndForgets(kind: DatabaseKind) async throws {
        try await Self.withTwoInstances(kind) { first, second, database in
            // setup: ada's run went silent at 500 000; bob's ended at 1 000
            _ = try await Self.begin(first, Self.run("a"))
            _ = try await first.append(runID: "a", events: [], at: 500_000, finish: false)
            _ = try await Self.begin(first, Self.run("old", learner: "bob"))
            _ = try await first.append(runID: "old", events: [("done", "{}")], at: 1_000, finish: true)
            // MUT: ada's run has been silent for over 30 seconds; bob's is to be forgotten
            let running = try await second.begin(
                Self.run("b", at: 601_000), abandonedThrough: 601_000 - 30_000, abandonedEvent: Self.abandoned,
                forgetThrough: 1_000)
            // validate
            #expect(running == nil)
            #expect(try await second.find(id: "old") == nil)
            #expect(try await second.events(runID: "old", after: 0).isEmpty)
            #expect(try await second.find(id: "a")?.finished == true)
            #expect(try await second.events(runID: "a", after: 0).map(\.name) == ["problem"])
            let leftovers = try await database.withSQL { try await $0.raw("SELECT run_id FROM lab_run_events WHERE run_id = 'old'").all() }
            #expect(leftovers.isEmpty)
        }
    }
}
