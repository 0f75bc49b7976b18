import Testing
@testable import Web

/// A run in progress as pages follow it: whoever subscribes, early or late, sees every event once
/// and in order, and the stream ends with the run.
@Suite("Live lab runs")
struct LiveRunTests {
    @Test("a page that subscribes mid-run gets what it missed, then the rest as it happens; one that comes after the end gets all of it")
    func lateSubscribersCatchUp() async {
        // setup
        let run = LiveRun(id: "r", labID: "http-basics", learnerID: "personal")
        let early = run.events(after: 0)
        run.publish(name: "stage", data: "{}")
        run.publish(name: "step", data: "{}")
        // MUT
        let late = run.events(after: 0)
        let resumed = run.events(after: 1)
        run.publish(name: "step", data: "{}")
        run.publish(name: "done", data: "{}", final: true)
        let after = run.events(after: 0)
        // validate
        for (stream, ids) in [(early, [1, 2, 3, 4]), (late, [1, 2, 3, 4]), (resumed, [2, 3, 4]), (after, [1, 2, 3, 4])] {
            var seen: [Int] = []
            for await event in stream { seen.append(event.id) }
            #expect(seen == ids)
        }
    }

    @Test("a learner has one run going at a time; it is free again once the run ends")
    func oneRunPerLearner() {
        // setup
        let runs = LiveRuns()
        let first = LiveRun(id: "a", labID: "http-basics", learnerID: "ada")
        // MUT + validate
        #expect(runs.begin(first) == nil)
        #expect(runs.begin(LiveRun(id: "b", labID: "rest-json", learnerID: "ada"))?.id == "a")
        #expect(runs.begin(LiveRun(id: "c", labID: "rest-json", learnerID: "bob")) == nil)
        runs.end(first)
        #expect(runs.run(id: "a") == nil)
        #expect(runs.begin(LiveRun(id: "d", labID: "rest-json", learnerID: "ada")) == nil)
    }
}
