import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// Each instance caches sessions, tokens, progress and lab standing for up to five minutes; a
/// write through one instance must reach the others' caches (by NOTIFY on PostgreSQL, within the
/// process on SQLite) at once. Each test first makes instance B cache the old value, then writes
/// through A, then expects B to see the write within two seconds — long enough for a notification,
/// far shorter than the cache's maximum age, so a notice that never arrives fails the test.
@Suite("Caches across instances", .serialized)
struct CacheAcrossInstancesTests {
    /// Asks `request` again (every 50 ms, for up to two seconds) until `seen` holds; returns the last answer.
    static func eventually(_ request: () async throws -> TestResponse, until seen: (TestResponse) throws -> Bool) async throws -> TestResponse {
        let deadline = ContinuousClock.now + .seconds(2)
        var response = try await request()
        while try !seen(response), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            response = try await request()
        }
        return response
    }

    static func progressState(_ response: TestResponse, topic: String) throws -> String? {
        let entries = try response.json()["progress"] as? [[String: Any]] ?? []
        return entries.first { $0["topicId"] as? String == topic }?["state"] as? String
    }

    @Test("progress written through A shows on B's roadmap and in B's GET /api/v1/progress", arguments: DatabaseKind.allCases)
    func progressReachesOtherInstance(kind: DatabaseKind) async throws {
        try await MultiInstanceTests.twoInstances(.team, on: kind) { instanceA, instanceB in
            // setup: B has read (and cached) Ada's progress before the write
            let (_, ada) = try await TeamModeTests.signUp(instanceA)
            let cookie: HTTPFields = [.cookie: ada.header]
            let before = try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: cookie)
            #expect(try Self.progressState(before, topic: "http") == nil)
            let pageBefore = try await instanceB.execute(uri: "/", method: .get, headers: cookie)
            #expect(!pageBefore.text.contains(#"<li class="topic state-done">"#))
            // MUT
            let put = try await instanceA.execute(
                uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders.with(.cookie, ada.header),
                body: ByteBuffer(string: #"{"state":"done"}"#))
            #expect(put.status == .ok)
            // validate
            let after = try await Self.eventually(
                { try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: cookie) },
                until: { try Self.progressState($0, topic: "http") == "done" })
            #expect(try Self.progressState(after, topic: "http") == "done", "B still serves the progress it cached before A's write")
            let page = try await Self.eventually(
                { try await instanceB.execute(uri: "/", method: .get, headers: cookie) },
                until: { $0.text.contains(#"<li class="topic state-done">"#) })
            #expect(page.text.contains(#"<li class="topic state-done">"#), "B's roadmap page does not show the topic done")
        }
    }

    @Test("a session signed out through A is refused by B", arguments: DatabaseKind.allCases)
    func signOutReachesOtherInstance(kind: DatabaseKind) async throws {
        try await MultiInstanceTests.twoInstances(.team, on: kind) { instanceA, instanceB in
            // setup: B has seen (and cached) the session
            let (_, ada) = try await TeamModeTests.signUp(instanceA)
            let cookie: HTTPFields = [.cookie: ada.header]
            #expect(try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: cookie).status == .ok)
            // MUT
            let signOut = try await instanceA.execute(
                uri: "/signout", method: .post, headers: formHeaders.with(.cookie, ada.header),
                body: formBody([("_csrf", ada["gw_csrf"] ?? "")]))
            #expect(signOut.status == .seeOther)
            // validate
            let replay = try await Self.eventually(
                { try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: cookie) },
                until: { $0.status == .unauthorized })
            #expect(replay.status == .unauthorized, "B still accepts a session that A ended")
            let page = try await instanceB.execute(uri: "/", method: .get, headers: cookie)
            #expect(!page.text.contains("ada@example.org"))
        }
    }

    @Test("an API token revoked on A stops working on B", arguments: DatabaseKind.allCases)
    func revokedTokenRefusedOnOtherInstance(kind: DatabaseKind) async throws {
        try await MultiInstanceTests.twoInstances(.team, on: kind) { instanceA, instanceB in
            // setup: a token that B has accepted (and cached)
            let (_, ada) = try await TeamModeTests.signUp(instanceA)
            let created = try await instanceA.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, ada.header),
                body: ByteBuffer(string: #"{"name":"laptop"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let id = try #require((try created.json()["token"] as? [String: Any])?["id"] as? String)
            let bearer: HTTPFields = [.authorization: "Bearer \(secret)"]
            #expect(try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: bearer).status == .ok)
            // MUT
            let revoked = try await instanceA.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: bearer)
            #expect(revoked.status == .noContent)
            // validate
            let after = try await Self.eventually(
                { try await instanceB.execute(uri: "/api/v1/progress", method: .get, headers: bearer) },
                until: { $0.status == .unauthorized })
            #expect(after.status == .unauthorized, "B still accepts a token that A revoked")
        }
    }

    @Test("a lab run recorded through A shows on B as the best result and verifies its topics", arguments: DatabaseKind.allCases)
    func labRunReachesOtherInstance(kind: DatabaseKind) async throws {
        let report = try await LabRunAPITests.report()
        try await MultiInstanceTests.twoInstances(.team, on: kind) { instanceA, instanceB in
            // setup: B has shown (and cached) Ada's lab standing: nothing run, nothing verified
            let (_, ada) = try await TeamModeTests.signUp(instanceA)
            let cookie: HTTPFields = [.cookie: ada.header]
            let created = try await instanceA.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, ada.header),
                body: ByteBuffer(string: #"{"name":"laptop CLI"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let labsBefore = try await instanceB.execute(uri: "/labs", method: .get, headers: cookie)
            #expect(labsBefore.status == .ok)
            #expect(!labsBefore.text.contains("badge result-passed"))
            #expect(!(try await instanceB.execute(uri: "/", method: .get, headers: cookie)).text.contains("badge verified"))
            // MUT: what `groundwork check --upload` sends
            let upload = try await LabRunAPITests.upload(instanceA, report, headers: jsonHeaders.with(.authorization, "Bearer \(secret)"))
            #expect(upload.status == .created)
            // validate
            let labs = try await Self.eventually(
                { try await instanceB.execute(uri: "/labs", method: .get, headers: cookie) },
                until: { $0.text.contains("badge result-passed") })
            #expect(labs.text.contains(#"<span class="badge result-passed">Passed</span>"#), "B's labs page does not show the passed run as best")
            let roadmap = try await Self.eventually(
                { try await instanceB.execute(uri: "/", method: .get, headers: cookie) },
                until: { $0.text.contains("badge verified") })
            #expect(roadmap.text.contains("badge verified"), "B's roadmap does not show the lab's topics verified")
        }
    }
}
