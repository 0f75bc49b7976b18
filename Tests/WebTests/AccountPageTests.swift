import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing

@testable import Web

/// The account page (issue 18): password, e-mail, sessions, deleting the account.
@Suite("Account page")
struct AccountPageTests {
    static let password = TeamAdminTests.password

    /// Signs `email` in once more, as another browser; returns that browser's cookies.
    static func anotherBrowser(_ client: any TestClientProtocol, email: String, password: String = password) async throws -> CookieJar {
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/signin", method: .get))
        #expect(try await TeamModeTests.signIn(client, jar: &jar, email: email, password: password).status == .seeOther)
        return jar
    }

    static func isSignedIn(_ client: any TestClientProtocol, _ jar: CookieJar) async throws -> Bool {
        try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.cookie: jar.header]).status == .ok
    }

    @Test("the account page needs a session; it shows the address, role and each session, this one marked")
    func pageShowsSessions() async throws {
        try await TestApp.test(.team) { client, database in
            let anonymous = try await client.execute(uri: "/account", method: .get)
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/signin?next=/account")
            let ada = try await TeamAdminTests.person(client, database, "ada@example.org", role: .mentor)
            _ = try await Self.anotherBrowser(client, email: "ada@example.org")
            let page = try await client.execute(uri: "/account", method: .get, headers: ada.cookie)
            #expect(page.status == .ok)
            #expect(page.text.contains("ada@example.org"))
            #expect(page.text.contains("Mentor"))
            #expect(page.text.components(separatedBy: "/account/sessions/").count - 1 == 3)  // two sessions + "end others"
            #expect(page.text.contains("(this browser)"))
            #expect(page.text.contains("href=\"/data\""))
            #expect(!page.text.contains("open the administration pages"))
        }
    }

    @Test("changing the password needs the current one and ends every other session, not this one", arguments: DatabaseKind.allCases)
    func changePassword(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let ada = try await TeamAdminTests.person(client, database, "ada@example.org", role: .learner)
            let other = try await Self.anotherBrowser(client, email: "ada@example.org")
            let wrong = try await TeamAdminTests.post(
                client, "/account/password", as: ada, [("current_password", "not my password"), ("new_password", "a brand new passphrase")])
            #expect(wrong.status == .forbidden)
            #expect(wrong.text.contains("Your current password is not right"))
            let weak = try await TeamAdminTests.post(
                client, "/account/password", as: ada, [("current_password", Self.password), ("new_password", "ada@example.org")])
            #expect(weak.status == .unprocessableContent)
            #expect(try await Self.isSignedIn(client, other))
            // MUT
            let changed = try await TeamAdminTests.post(
                client, "/account/password", as: ada, [("current_password", Self.password), ("new_password", "a brand new passphrase")])
            // validate
            #expect(changed.status == .seeOther)
            #expect(changed.headers[.location] == "/account?notice=password")
            #expect(try await Self.isSignedIn(client, ada.jar))
            #expect(try await !Self.isSignedIn(client, other))
            let user = try await SQLUserRepository(database: database).find(email: "ada@example.org")
            #expect(try await PasswordHasher(logN: 10).verify("a brand new passphrase", against: user?.passwordHash ?? ""))
        }
    }

    @Test("changing the e-mail address needs the password, refuses a bad or taken address, and signs in with the new one")
    func changeEmail() async throws {
        try await TestApp.test(.team) { client, database in
            let ada = try await TeamAdminTests.person(client, database, "ada@example.org", role: .learner)
            _ = try await TeamAdminTests.person(client, database, "bob@example.org", role: .learner)
            let cases: [([(String, String)], HTTPResponse.Status, String)] = [
                ([("email", "<script>@x"), ("current_password", Self.password)], .unprocessableContent, "Enter an email address"),
                ([("email", "ada\u{202E}@example.org"), ("current_password", Self.password)], .unprocessableContent, "Enter an email address"),
                ([("email", "new@example.org"), ("current_password", "wrong password")], .forbidden, "Your current password is not right"),
                ([("email", "BOB@example.org"), ("current_password", Self.password)], .conflict, "That address cannot be used"),
            ]
            for (fields, status, message) in cases {
                let response = try await TeamAdminTests.post(client, "/account/email", as: ada, fields)
                #expect(response.status == status, "\(fields)")
                #expect(response.text.contains(message), "\(fields)")
            }
            #expect(try await SQLUserRepository(database: database).find(id: ada.user.id)?.email == "ada@example.org")
            let changed = try await TeamAdminTests.post(
                client, "/account/email", as: ada, [("email", "Ada.Lovelace@Example.org"), ("current_password", Self.password)])
            #expect(changed.status == .seeOther)
            let page = try await client.execute(uri: "/account", method: .get, headers: ada.cookie)
            #expect(page.text.contains("ada.lovelace@example.org"))
            _ = try await Self.anotherBrowser(client, email: "ada.lovelace@example.org")
        }
    }

    @Test("a session can be ended from the account page, and only by its owner", arguments: DatabaseKind.allCases)
    func endSessions(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let ada = try await TeamAdminTests.person(client, database, "ada@example.org", role: .learner)
            let bob = try await TeamAdminTests.person(client, database, "bob@example.org", role: .learner)
            let laptop = try await Self.anotherBrowser(client, email: "ada@example.org")
            let sessions = try await SQLSessionRepository(database: database).list(userID: ada.user.id, now: WallClock.nowSeconds())
            #expect(sessions.count == 2)
            let laptopID = SessionSummary.id(tokenHash: SecretToken.hash(try #require(laptop["gw_session"])))
            #expect(sessions.contains { $0.id == laptopID })
            // Bob cannot end Ada's session; garbage ids name nothing.
            for id in [laptopID, "../../etc", "%27--", String(repeating: "f", count: 16)] {
                let response = try await TeamAdminTests.post(client, "/account/sessions/\(id)/end", as: bob)
                #expect(response.status == .notFound, "\(id)")
            }
            #expect(try await Self.isSignedIn(client, laptop))
            // MUT
            let ended = try await TeamAdminTests.post(client, "/account/sessions/\(laptopID)/end", as: ada)
            // validate
            #expect(ended.status == .seeOther)
            #expect(try await !Self.isSignedIn(client, laptop))
            #expect(try await Self.isSignedIn(client, ada.jar))
            _ = try await Self.anotherBrowser(client, email: "ada@example.org")
            #expect(try await TeamAdminTests.post(client, "/account/sessions/end-others", as: ada).status == .seeOther)
            #expect(try await SQLSessionRepository(database: database).list(userID: ada.user.id, now: WallClock.nowSeconds()).count == 1)
            #expect(try await Self.isSignedIn(client, ada.jar))
        }
    }

    @Test("deleting the account needs the password and removes everything the learner owns", arguments: DatabaseKind.allCases)
    func deleteAccount(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let ada = try await TeamAdminTests.person(client, database, "ada@example.org", role: .learner)
            let bob = try await TeamAdminTests.person(client, database, "bob@example.org", role: .learner)
            for person in [ada, bob] {
                let put = try await client.execute(
                    uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders.with(.cookie, person.jar.header),
                    body: ByteBuffer(string: #"{"state":"done"}"#))
                #expect(put.status == .ok)
                let note = try await client.execute(
                    uri: "/api/v1/notes/http", method: .put, headers: jsonHeaders.with(.cookie, person.jar.header),
                    body: ByteBuffer(string: #"{"text":"my note"}"#))
                #expect(note.status.code < 300)
            }
            let token = try await TeamAdminTests.token(client, for: ada)
            let wrong = try await TeamAdminTests.post(client, "/account/delete", as: ada, [("current_password", "not it at all")])
            #expect(wrong.status == .forbidden)
            #expect(try await SQLUserRepository(database: database).find(id: ada.user.id) != nil)
            // MUT
            let deleted = try await TeamAdminTests.post(client, "/account/delete", as: ada, [("current_password", Self.password)])
            // validate
            #expect(deleted.status == .ok)
            #expect(deleted.text.contains("Your account has been deleted"))
            #expect(deleted.headers[values: .setCookie].contains { $0.hasPrefix("gw_session=;") })
            #expect(try await SQLUserRepository(database: database).find(id: ada.user.id) == nil)
            for table in ["progress", "notes", "api_tokens", "sessions"] {
                let column = ["api_tokens", "sessions"].contains(table) ? "user_id" : "learner_id"
                let rows = try await database.withSQL { sql in
                    try await sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: ada.user.id)").first()?
                        .decode(column: "n", as: Int.self)
                }
                #expect(rows == 0, "\(table)")
            }
            #expect(try await !Self.isSignedIn(client, ada.jar))
            #expect(
                try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .unauthorized)
            let bobs = try await client.execute(uri: "/api/v1/progress", method: .get, headers: bob.cookie)
            #expect(try CacheAcrossInstancesTests.progressState(bobs, topic: "http") == "done")
        }
    }
}
