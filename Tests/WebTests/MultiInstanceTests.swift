import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// Several instances on one database, as behind nginx: whichever instance answers, a lab run
/// started on another can be followed to its end, and sign-in limits count every attempt.
@Suite("Instances sharing one database", .serialized)
struct MultiInstanceTests {
    /// Two applications (two routers, two connection pools) on one fresh database of `kind`.
    /// `configure` adjusts the configuration both share.
    static func twoInstances(
        _ mode: AppConfiguration.Mode, on kind: DatabaseKind, configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, any TestClientProtocol) async throws -> Void
    ) async throws {
        var settings = TestApp.configuration(mode)
        settings.labsDirectory = LabPagesTests.labsDirectory.path
        configure(&settings)
        let dependencies = { (database: Database) in AppDependencies(configuration: settings, roadmap: try TestApp.roadmap(), database: database) }
        try await TestDatabase.with(kind) { location in
            try await location.use { databaseA in
                try await location.use { databaseB in
                    let instanceA = Application(
                        router: try await buildRouter(try dependencies(databaseA)),
                        configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    let instanceB = Application(
                        router: try await buildRouter(try dependencies(databaseB)),
                        configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    try await instanceA.test(.router) { clientA in
                        try await instanceB.test(.router) { clientB in try await body(clientA, clientB) }
                    }
                }
            }
        }
    }

    @Test(
        "a run started on instance A is shown as going on B, refused again on B, and followed to its end from B's event stream",
        arguments: DatabaseKind.allCases)
    func runFollowedFromAnotherInstance(kind: DatabaseKind) async throws {
        try await Self.twoInstances(.personal, on: kind) { instanceA, instanceB in
            try await LocalTarget.counting(held: true) { target, counter in
                // setup: the target holds its first answer back, so the run stays in progress
                let started = try await LabPagesTests.submitRun(
                    instanceA, lab: "http-basics", target: target.absoluteString,
                    accept: "application/json")
                let body = try started.json()
                let result = try #require(body["result"] as? String)
                let events = try #require(body["events"] as? String)
                // MUT
                let running = try await instanceB.execute(uri: result, method: .get)
                let again = try await LabPagesTests.submitRun(
                    instanceB, lab: "http-basics", target: target.absoluteString, accept: "application/json")
                async let stream = instanceB.execute(uri: events, method: .get)
                try await Task.sleep(for: .milliseconds(300))
                counter.release()
                let parsed = ServerSentEvents.parse(try await stream.text)
                // validate
                #expect(started.status == .accepted)
                #expect(running.text.contains("This run is still going."))
                #expect(again.status == .conflict)
                #expect((try again.json()["detail"] as? String)?.contains("Your run of http-basics is still going") == true)
                #expect(parsed.map(\.name) == ["stage", "step", "stage-done", "done"], "the target answers plain text, so stage 1 fails")
                #expect(parsed.map(\.id) == [1, 2, 3, 4])
                #expect(parsed.last?.json["result"] as? String == result)
                #expect(counter.value == 1)
                let stored = try await instanceB.execute(uri: result, method: .get)
                #expect(stored.text.contains("Failed at stage 1: A health endpoint"))
                let resumed = try await instanceB.execute(uri: events, method: .get, headers: [HTTPField.Name("Last-Event-ID")!: "2"])
                #expect(ServerSentEvents.parse(resumed.text).map(\.id) == [3, 4])
            }
        }
    }

    @Test(
        "failed sign-ins through instance A lock the account on instance B too; a session from A works on B",
        arguments: DatabaseKind.allCases)
    func signInLimitHoldsAcrossInstances(kind: DatabaseKind) async throws {
        try await Self.twoInstances(.team, on: kind) { instanceA, instanceB in
            // setup
            let (_, signedUp) = try await TeamModeTests.signUp(instanceA)
            var jar = CookieJar()
            jar.take(try await instanceA.execute(uri: "/signin", method: .get))
            for _ in 0..<5 {
                let failed = try await TeamModeTests.signIn(instanceA, jar: &jar, email: "ada@example.org", password: "wrong password!")
                #expect(failed.status == .unauthorized)
            }
            // MUT
            let limited = try await TeamModeTests.signIn(instanceB, jar: &jar, email: "ada@example.org", password: "correct horse battery")
            let page = try await instanceB.execute(uri: "/", method: .get, headers: [.cookie: signedUp.header])
            // validate
            #expect(limited.status == .tooManyRequests)
            let retryAfter = Int(limited.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0
            #expect(retryAfter > 0 && retryAfter <= 900)
            #expect(page.text.contains("ada@example.org"))
        }
    }
}
