import Logging
import Storage
import TestSupport
import Testing

@testable import Web

/// A run in progress as pages follow it: whoever subscribes, early or late, on the instance that
/// runs it or on another one sharing the database, sees every event once and in order, and the
/// stream ends with the run. Each test opens the database twice: instance A runs, instance B follows.
@Suite("Live lab runs", .serialized)
struct LiveRunTests {
    static let fast = LiveRuns.Timing(heartbeat: .seconds(60), abandonedAfter: .seconds(60), poll: .milliseconds(20), keptFor: .seconds(600))

    /// Two instances' view of the live runs on one fresh database, with learners ada and bob.
    static func twoInstances(
        _ kind: DatabaseKind, timing: LiveRuns.Timing = fast,
        _ body: (LiveRuns, LiveRuns) async throws -> Void
    ) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { first in
                try await location.use { second in
                    let users = SQLUserRepository(database: first)
                    _ = try await users.ensure(id: "ada", email: "ada@example.org")
                    _ = try await users.ensure(id: "bob", email: "bob@example.org")
                    try await body(
                        LiveRuns(repository: SQLLiveLabRunRepository(database: first), timing: timing),
                        LiveRuns(repository: SQLLiveLabRunRepository(database: second), timing: timing))
                }
            }
        }
    }

    static func start(_ runs: LiveRuns, labID: String = "http-basics", learnerID: String = "ada") async throws -> LiveRun {
        guard case .started(let run) = try await runs.begin(labID: labID, learnerID: learnerID, logger: TestDatabase.logger) else {
            throw LearnerBusy()
        }
        return run
    }

    struct LearnerBusy: Error {}

    static func collect(_ stream: AsyncThrowingStream<RunStreamEvent, any Error>) async throws -> [RunStreamEvent] {
        var seen: [RunStreamEvent] = []
        for try await event in stream { seen.append(event) }
        return seen
    }

    @Test(
        "a page that subscribes mid-run gets what it missed, then the rest as it happens; one that comes after the end gets all of it",
        arguments: DatabaseKind.allCases)
    func lateSubscribersCatchUp(kind: DatabaseKind) async throws {
        try await Self.twoInstances(kind) { instanceA, instanceB in
            // setup
            let run = try await Self.start(instanceA)
            async let early = Self.collect(instanceB.events(of: run.id, after: 0))
            run.publish(name: "stage", data: "{}")
            run.publish(name: "step", data: "{}")
            try await Task.sleep(for: .milliseconds(100))
            // MUT
            async let late = Self.collect(instanceB.events(of: run.id, after: 0))
            async let resumed = Self.collect(instanceA.events(of: run.id, after: 1))
            try await Task.sleep(for: .milliseconds(100))
            run.publish(name: "step", data: "{}")
            await run.finish(name: "done", data: #"{"passed":true}"#)
            let after = try await Self.collect(instanceB.events(of: run.id, after: 0))
            // validate
            for (events, ids) in [
                (try await early, [1, 2, 3, 4]), (try await late, [1, 2, 3, 4]), (try await resumed, [2, 3, 4]), (after, [1, 2, 3, 4]),
            ] {
                #expect(events.map(\.id) == ids)
                #expect(events.last?.name == "done")
            }
            #expect(after.map(\.name) == ["stage", "step", "step", "done"])
            #expect(after.last?.data == #"{"passed":true}"#)
            #expect(try await instanceB.going(id: run.id) == nil)
        }
    }

    @Test("a learner has one run going at a time on any instance; it is free again once the run ends", arguments: DatabaseKind.allCases)
    func oneRunPerLearner(kind: DatabaseKind) async throws {
        try await Self.twoInstances(kind) { instanceA, instanceB in
            // setup
            let first = try await Self.start(instanceA)
            // MUT + validate
            guard case .busy(let running) = try await instanceB.begin(labID: "rest-json", learnerID: "ada", logger: TestDatabase.logger) else {
                Issue.record("a second run for ada started on the other instance")
                return
            }
            #expect(running.id == first.id && running.labID == "http-basics")
            #expect(try await instanceB.going(id: first.id)?.learnerID == "ada")
            let bobs = try await Self.start(instanceB, learnerID: "bob")
            await first.finish(name: "done", data: "{}")
            #expect(try await instanceB.going(id: first.id) == nil)
            let again = try await Self.start(instanceB, labID: "rest-json")
            await again.finish(name: "done", data: "{}")
            await bobs.finish(name: "done", data: "{}")
        }
    }

    @Test(
        "a run whose instance stopped beating is ended as abandoned: followers get a problem event, and the learner may run again",
        arguments: DatabaseKind.allCases)
    func silentRunIsAbandoned(kind: DatabaseKind) async throws {
        let timing = LiveRuns.Timing(heartbeat: .seconds(60), abandonedAfter: .milliseconds(300), poll: .milliseconds(20), keptFor: .seconds(600))
        try await Self.twoInstances(kind, timing: timing) { instanceA, instanceB in
            // setup: instance A publishes one event, then says nothing (as if it had died)
            let run = try await Self.start(instanceA)
            run.publish(name: "stage", data: "{}")
            // MUT
            let events = try await Self.collect(instanceB.events(of: run.id, after: 0))
            // validate
            #expect(events.map(\.name) == ["stage", "problem"])
            #expect(events.last?.data.contains("stopped before the run finished") == true)
            #expect(try await instanceB.going(id: run.id) == nil)
            let next = try await Self.start(instanceB)
            // The first run's instance was not dead after all: what it sends now is dropped.
            await run.finish(name: "done", data: "{}")
            #expect(try await Self.collect(instanceB.events(of: run.id, after: 0)).map(\.name) == ["stage", "problem"])
            await next.finish(name: "done", data: "{}")
        }
    }

    @Test("a long step does not make a run look abandoned while its instance keeps beating", arguments: DatabaseKind.allCases)
    func heartbeatKeepsRunAlive(kind: DatabaseKind) async throws {
        let timing = LiveRuns.Timing(
            heartbeat: .milliseconds(50), abandonedAfter: .milliseconds(400), poll: .milliseconds(20), keptFor: .seconds(600))
        try await Self.twoInstances(kind, timing: timing) { instanceA, instanceB in
            // setup
            let run = try await Self.start(instanceA)
            // MUT: nothing published for longer than the abandon timeout
            try await Task.sleep(for: .milliseconds(900))
            // validate
            #expect(try await instanceB.going(id: run.id)?.id == run.id)
            run.publish(name: "stage", data: "{}")
            await run.finish(name: "done", data: "{}")
            #expect(try await Self.collect(instanceB.events(of: run.id, after: 0)).map(\.name) == ["stage", "done"])
        }
    }
}
