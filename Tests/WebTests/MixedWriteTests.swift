import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing
import Web

/// Every kind of write at once, for several seconds: on SQLite they once met "database is locked"
/// (500s after a 10-second stall) because some writes took a pool connection instead of going
/// through the single writer.
@Suite("Mixed concurrent writes")
struct MixedWriteTests {
    @Test("lab-run uploads, progress, quiz answers, tokens and SQL attempts at once all succeed", arguments: DatabaseKind.allCases)
    func everyWriteAtOnce(kind: DatabaseKind) async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app(.team, on: kind) { client, _ in
            let (_, jar) = try await TeamModeTests.signUp(client)
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, jar.header),
                body: ByteBuffer(string: #"{"name":"load"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let bearer = jsonHeaders.with(.authorization, "Bearer \(secret)")
            let form = formHeaders.with(.cookie, jar.header)
            let csrf = jar["gw_csrf"] ?? ""
            let topics = ["http", "rest", "json", "git", "sql", "docker"]
            let writes: [@Sendable (Int) async throws -> HTTPResponse.Status] = [
                { _ in try await LabRunAPITests.upload(client, report, headers: bearer).status },
                { index in
                    try await client.execute(
                        uri: "/api/v1/progress/\(topics[index % topics.count])", method: .put, headers: bearer,
                        body: ByteBuffer(string: #"{"state":"\#(index % 2 == 0 ? "learning" : "done")"}"#)
                    ).status
                },
                { index in
                    try await client.execute(
                        uri: "/api/v1/tokens", method: .post, headers: bearer,
                        body: ByteBuffer(string: #"{"name":"token \#(index)"}"#)
                    ).status
                },
                { _ in
                    try await client.execute(
                        uri: "/topics/http/quiz", method: .post, headers: form,
                        body: formBody([("_csrf", csrf), ("q0", "0"), ("blank", "confirmed")])
                    ).status
                },
                { _ in
                    try await client.execute(
                        uri: "/sql/1", method: .post, headers: form,
                        body: formBody([("_csrf", csrf), ("query", "SELECT 1")])
                    ).status
                },
            ]
            // MUT: two clients per kind of write, for five seconds
            let deadline = ContinuousClock.now + .seconds(5)
            let statuses = try await withThrowingTaskGroup(of: [HTTPResponse.Status].self) { group in
                for write in writes + writes {
                    group.addTask {
                        var seen: [HTTPResponse.Status] = []
                        var index = 0
                        while ContinuousClock.now < deadline {
                            seen.append(try await write(index))
                            index += 1
                        }
                        return seen
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            // validate: no write failed (429 is the per-learner limit on uploads and SQL attempts
            // doing its job, and says when to come back)
            let failures = statuses.filter { !(200..<400).contains($0.code) && $0 != .tooManyRequests }
            #expect(failures.isEmpty, "\(failures.count) of \(statuses.count) writes failed: \(Set(failures.map(\.code)))")
            #expect(statuses.filter { (200..<400).contains($0.code) }.count > 60)
        }
    }
}
