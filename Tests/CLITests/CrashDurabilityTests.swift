import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// A write the server acknowledged must survive the process being killed without warning.
@Suite("Crash durability on SQLite", .serialized)
struct CrashDurabilityTests {
    @Test("SIGKILL at a random moment during writes loses no acknowledged write and leaves an intact database")
    func killDuringWrites() async throws {
        // setup
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder])
        try await server.waitUntilServing(base + "/health")
        let roadmap = try await GroundworkProcess.get(base + "/api/v1/roadmap").body
        let topics = roadmap.matches(of: /"id":"([a-z0-9-]+)","state"/).map { String($0.1) }
        let states = ["learning", "done", "skipped", "todo"]

        // MUT: writers keep writing; the server is killed after a random delay
        let acknowledged = LockedDictionary()
        let writers = Task {
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    // Each writer owns its own topics and writes them one at a time, so for every
                    // topic the last acknowledged state is the last committed one.
                    let mine = topics.enumerated().filter { $0.offset % 4 == writer }.map(\.element)
                    group.addTask {
                        var round = 0
                        while !Task.isCancelled {
                            let topic = mine[round % mine.count]
                            let state = states[round % states.count]
                            round += 1
                            acknowledged.sending(topic, state)
                            if (try? await GroundworkProcess.put(base + "/api/v1/progress/\(topic)", json: #"{"state":"\#(state)"}"#)) == 200 {
                                acknowledged.acknowledged(topic, state)
                            }
                        }
                    }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(Int.random(in: 300...1500)))
        kill(server.process.processIdentifier, SIGKILL)
        _ = try await server.waitForExit(timeout: .seconds(10))
        writers.cancel()
        await writers.value

        // validate: every topic's last acknowledged state is stored
        let (expected, unanswered) = acknowledged.states()
        #expect(expected.count > 0, "no write was acknowledged before the kill")
        let database = try await Database.sqlite(path: folder + "/groundwork.sqlite", logger: TestDatabase.logger)
        let integrity = try await database.withSQL {
            try await $0.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
        }
        #expect(integrity == "ok")
        let stored = try await SQLProgressRepository(database: database).states(learnerID: "personal")
        await database.close()
        var lost: [String] = []
        for (topic, state) in expected {
            // A write still unanswered when the server died may or may not have landed.
            let allowed = [state, unanswered[topic]].compactMap { $0 }
            guard let actual = stored[topic]?.rawValue, allowed.contains(actual) else {
                lost.append("\(topic): acknowledged \(state), stored \(stored[topic]?.rawValue ?? "nothing")")
                continue
            }
        }
        #expect(lost == [])
    }
}

/// Per topic, the last acknowledged state and a state sent but not (yet) answered.
final class LockedDictionary: @unchecked Sendable {
    private let lock = NSLock()
    private var acknowledgedStates: [String: String] = [:]
    private var unanswered: [String: String] = [:]
    private var acknowledgements = 0

    /// How many writes have been acknowledged so far, all topics together.
    var acknowledgedCount: Int { lock.withLock { acknowledgements } }

    func sending(_ topic: String, _ state: String) {
        lock.withLock { unanswered[topic] = state }
    }

    func acknowledged(_ topic: String, _ state: String) {
        lock.withLock {
            acknowledgedStates[topic] = state
            unanswered[topic] = nil
            acknowledgements += 1
        }
    }

    func states() -> (acknowledged: [String: String], unanswered: [String: String]) {
        lock.withLock { (acknowledgedStates, unanswered) }
    }
}
