import AsyncHTTPClient
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// `groundwork user …`: account administration from a terminal (issue 18).
@Suite("groundwork user", .serialized)
struct UserCommandTests {
    static let password = "a long enough password\n"

    @Test("list, role, disable, enable, reset-password and sign-up work from the terminal and are audited")
    func administration() async throws {
        let data = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        func user(_ arguments: [String], stdin: String? = nil) async throws -> (code: Int32, out: String, err: String) {
            try await GroundworkProcess.run(["user"] + arguments + ["--data", data], stdin: stdin)
        }
        let empty = try await user(["list"])
        #expect(empty.out.contains("groundwork user create --admin EMAIL"))
        #expect(try await user(["create", "--admin", "admin@example.org"], stdin: Self.password).code == 0)
        let mentor = try await user(["create", "--role", "mentor", "Ada@Example.org"], stdin: Self.password)
        #expect(mentor.out.contains("Created mentor account ada@example.org."), "\(mentor.err)")
        let list = try await user(["list"])
        #expect(list.out.contains("ada@example.org    mentor   active    never"), "\(list.out)")
        #expect(list.out.contains("admin@example.org  admin    active    never"), "\(list.out)")

        let role = try await user(["role", "ada@example.org", "learner"])
        #expect(role.out.contains("ada@example.org is now a learner."), "\(role.err)")
        let demoteLast = try await user(["role", "admin@example.org", "mentor"])
        #expect(demoteLast.code != 0)
        #expect(demoteLast.err.contains("is the only active administrator"))
        let badRole = try await user(["role", "ada@example.org", "owner"])
        #expect(badRole.code != 0)
        #expect(badRole.err.contains("owner"))
        let missing = try await user(["disable", "nobody@example.org"])
        #expect(missing.code != 0)
        #expect(missing.err.contains("There is no account 'nobody@example.org'"))

        #expect(try await user(["disable", "ada@example.org"]).out.contains("Disabled ada@example.org"))
        #expect(try await user(["list"]).out.contains("ada@example.org    learner  disabled"))
        #expect(try await user(["enable", "ada@example.org"]).out.contains("Enabled ada@example.org"))

        let reset = try await user(["reset-password", "ada@example.org", "--url", "https://gw.example.org/"])
        #expect(reset.out.contains("https://gw.example.org/reset/"), "\(reset.err)")

        #expect(try await user(["sign-up"]).out.contains("Sign-up: Invitation only"))
        #expect(try await user(["sign-up", "open"]).out.contains("Sign-up: Open"))
        let badMode = try await user(["sign-up", "everyone"])
        #expect(badMode.code != 0)

        let database = try await Database.sqlite(path: data + "/groundwork.sqlite", logger: TestDatabase.logger)
        let entries = try await SQLAuditLogRepository(database: database).entries(limit: 20, before: nil)
        await database.close()
        #expect(entries.allSatisfy { $0.actor == "terminal" })
        #expect(
            entries.map(\.action.rawValue).reversed() == [
                "account-created", "account-created", "role-changed", "account-disabled", "account-enabled", "password-reset-started",
                "sign-up-mode-changed",
            ])
    }

    @Test("disabling from the terminal signs the account out of a running server on PostgreSQL at once")
    func disableReachesRunningServer() async throws {
        try await TestDatabase.with(.postgres) { database in
            let url = database.postgresConnectionURL!
            #expect(try await GroundworkProcess.run(["user", "create", "ada@example.org", "--database", url], stdin: Self.password).code == 0)
            let port = try GroundworkProcess.freePort()
            let server = try GroundworkProcess(["serve", "--mode", "team", "--port", "\(port)", "--database", url])
            defer { server.process.terminate() }
            let base = "http://127.0.0.1:\(port)"
            try await server.waitUntilServing(base + "/ready")
            var browser = FailoverTests.Browser()
            #expect(try await browser.send(.GET, base + "/signin") == 200)
            let form = "_csrf=\(browser.cookies["gw_csrf"] ?? "")&email=ada%40example.org&password=a+long+enough+password"
            #expect(
                try await browser.send(.POST, base + "/signin", body: form, contentType: "application/x-www-form-urlencoded", origin: base) == 303)
            #expect(try await browser.send(.GET, base + "/api/v1/progress") == 200)  // the server now caches the session
            // MUT
            let disabled = try await GroundworkProcess.run(["user", "disable", "ada@example.org", "--database", url])
            #expect(disabled.code == 0, "\(disabled.err)")
            // validate: refused within two seconds (the cache would otherwise keep it for five minutes)
            let deadline = ContinuousClock.now + .seconds(2)
            var status = try await browser.send(.GET, base + "/api/v1/progress")
            while status != 401, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                status = try await browser.send(.GET, base + "/api/v1/progress")
            }
            #expect(status == 401)
            server.process.terminate()
            _ = try await server.waitForExit(timeout: .seconds(20))
        }
    }
}
