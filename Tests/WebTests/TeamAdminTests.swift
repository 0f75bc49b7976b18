import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing
import Web

/// Roles, the sign-up mode, invitation links, the admin pages and the audit log (issue 18).
@Suite("Teams: roles, invitations, administration")
struct TeamAdminTests {
    static let password = "correct horse battery"

    /// A person signed in through the sign-in form: their cookies, and their account.
    struct Person {
        let jar: CookieJar
        let user: User
        var cookie: HTTPFields { [.cookie: jar.header] }
        var csrf: String { jar["gw_csrf"] ?? "" }
    }

    /// A team server whose sign-up mode (until an admin chooses) is `mode`.
    static func withSignUp(
        _ mode: SignUpMode, on kind: DatabaseKind = .sqlite, _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        try await TestApp.test(.team, on: kind, configure: { $0.signUpMode = mode }, body)
    }

    /// Creates an account with `role` (as `groundwork user create` does) and signs it in.
    static func person(_ client: any TestClientProtocol, _ database: Database, _ email: String, role: Role) async throws -> Person {
        let hash = try await PasswordHasher(logN: 10).hash(password)
        let user = try await SQLUserRepository(database: database).create(email: email, passwordHash: hash, role: role)
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/signin", method: .get))
        let response = try await TeamModeTests.signIn(client, jar: &jar, email: email, password: password)
        #expect(response.status == .seeOther, "signing in \(email)")
        return Person(jar: jar, user: user)
    }

    /// Posts a form as `person` (their cookies and CSRF token).
    static func post(_ client: any TestClientProtocol, _ uri: String, as person: Person, _ fields: [(String, String)] = []) async throws
        -> TestResponse
    {
        try await client.execute(
            uri: uri, method: .post, headers: formHeaders.with(.cookie, person.jar.header),
            body: formBody([("_csrf", person.csrf)] + fields))
    }

    /// An API token for `person`, made through the API.
    static func token(_ client: any TestClientProtocol, for person: Person) async throws -> String {
        let created = try await client.execute(
            uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, person.jar.header),
            body: ByteBuffer(string: #"{"name":"admin tests"}"#))
        return try #require(try created.json()["secret"] as? String)
    }

    /// The first `/join/…` or `/reset/…` link's secret on a page.
    static func secret(after prefix: String, in page: String) throws -> String {
        let start = try #require(page.range(of: prefix))
        return String(page[start.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    /// Makes an invitation through the admin page and returns its link's secret.
    static func invite(_ client: any TestClientProtocol, by admin: Person, role: Role, uses: String = "1", label: String = "") async throws -> String
    {
        let response = try await post(
            client, "/admin/invitations", as: admin, [("label", label), ("role", role.rawValue), ("days", "7"), ("max_uses", uses)])
        #expect(response.status == .created)
        return try secret(after: "/join/", in: response.text)
    }

    /// Accepts an invitation as a stranger: the sign-up form behind the link, then its answer.
    static func join(_ client: any TestClientProtocol, _ secret: String, email: String) async throws -> TestResponse {
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/join/" + secret, method: .get))
        jar.take(try await client.execute(uri: "/signin", method: .get))
        return try await client.execute(
            uri: "/join/" + secret, method: .post, headers: formHeaders.with(.cookie, jar.header),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password)]))
    }

    @Test("a new team server is invitation-only: /signup says so and creates nobody")
    func invitationOnlyByDefault() async throws {
        #expect(AppConfiguration().signUpMode == .invitation)
        try await Self.withSignUp(AppConfiguration().signUpMode) { client, database in
            let page = try await client.execute(uri: "/signup", method: .get)
            #expect(page.text.contains("This server is invitation-only"))
            #expect(!page.text.contains("action=\"/signup\""))
            let (response, _) = try await TeamModeTests.signUp(client)
            #expect(response.status == .forbidden)
            #expect(response.text.contains("ask an administrator or your mentor for an invitation link"))
            #expect(try await SQLUserRepository(database: database).find(email: "ada@example.org") == nil)
        }
    }

    @Test("an admin invites a mentor; the link makes one mentor account, then no more", arguments: DatabaseKind.allCases)
    func invitationMakesAccountWithRole(kind: DatabaseKind) async throws {
        try await Self.withSignUp(.invitation, on: kind) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let secret = try await Self.invite(client, by: admin, role: .mentor, label: "Spring <b>cohort</b>")
            // The link shows what it gives; the admin's label is escaped.
            let form = try await client.execute(uri: "/join/" + secret, method: .get)
            #expect(form.status == .ok)
            #expect(form.text.contains("invited to join as a <strong>mentor</strong>"))
            #expect(form.text.contains("Spring &lt;b&gt;cohort&lt;/b&gt;"))
            // MUT
            let joined = try await Self.join(client, secret, email: "Mentor@Example.org")
            // validate
            #expect(joined.status == .seeOther)
            #expect(joined.headers[.location] == "/signin?notice=signed-up")
            let mentor = try #require(try await SQLUserRepository(database: database).find(email: "mentor@example.org"))
            #expect(mentor.role == .mentor)
            let again = try await Self.join(client, secret, email: "second@example.org")
            #expect(again.status == .gone)
            #expect(again.text.contains("This invitation link cannot be used"))
            #expect(try await SQLUserRepository(database: database).find(email: "second@example.org") == nil)
            let list = try await client.execute(uri: "/admin/invitations", method: .get, headers: admin.cookie)
            #expect(list.text.contains("1 of 1"))
            #expect(list.text.contains("used up"))
            #expect(!list.text.contains(secret))  // shown once, stored as a hash
        }
    }

    @Test("an invitation followed with an address that has an account answers as for a new one")
    func invitationDoesNotRevealAccounts() async throws {
        try await Self.withSignUp(.invitation) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let secret = try await Self.invite(client, by: admin, role: .learner, uses: "5")
            let taken = try await Self.join(client, secret, email: "admin@example.org")
            let new = try await Self.join(client, secret, email: "new@example.org")
            #expect(taken.status == new.status)
            #expect(taken.headers[.location] == new.headers[.location])
            #expect(taken.text == new.text)
            let stillAdmin = try await SQLUserRepository(database: database).find(email: "admin@example.org")
            #expect(stillAdmin?.role == .admin)
            #expect(try await PasswordHasher(logN: 10).verify(Self.password, against: stillAdmin?.passwordHash ?? ""))
        }
    }

    @Test("hostile input to the invitation form gets a 422 and leaves the invitation unused")
    func hostileInvitationInput() async throws {
        try await Self.withSignUp(.invitation) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let secret = try await Self.invite(client, by: admin, role: .learner)
            for (email, password, message) in [
                ("crash\u{1}7\u{1}x@example.org", Self.password, "Enter an email address like name@example.org."),
                ("<script>alert(1)</script>", Self.password, "Enter an email address like name@example.org."),
                ("a\u{202E}b@example.org", Self.password, "Enter an email address like name@example.org."),
                ("ok@example.org", "1234567890", "one of the most common"),
                ("ok@example.org", String(repeating: "x", count: 2000), "at most 1024 characters"),
                ("ok@example.org", "pass\u{0}word word", "NUL character"),
            ] {
                var jar = CookieJar()
                jar.take(try await client.execute(uri: "/join/" + secret, method: .get))
                let response = try await client.execute(
                    uri: "/join/" + secret, method: .post, headers: formHeaders.with(.cookie, jar.header),
                    body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password)]))
                #expect(response.status == .unprocessableContent, "\(email.debugDescription)")
                #expect(response.text.contains(message), "\(email.debugDescription)")
                #expect(!response.text.contains("<script>alert(1)</script>"))
            }
            #expect(try await SQLInvitationRepository(database: database).list().first?.uses == 0)
            #expect(try await Self.join(client, secret, email: "fine@example.org").status == .seeOther)
        }
    }

    @Test("closed sign-up refuses /signup and invitation links alike; a revoked link stops working")
    func closedAndRevoked() async throws {
        try await TestApp.test(.team) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let secret = try await Self.invite(client, by: admin, role: .learner, uses: "")
            #expect(try await Self.post(client, "/admin/sign-up", as: admin, [("mode", "closed")]).status == .seeOther)
            let closedJoin = try await Self.join(client, secret, email: "x@example.org")
            #expect(closedJoin.status == .forbidden)
            #expect(closedJoin.text.contains("not taking new accounts"))
            let (closedSignUp, _) = try await TeamModeTests.signUp(client, email: "y@example.org")
            #expect(closedSignUp.status == .forbidden)
            #expect(try await Self.post(client, "/admin/sign-up", as: admin, [("mode", "invitation")]).status == .seeOther)
            let invitation = try #require(try await SQLInvitationRepository(database: database).list().first)
            #expect(try await Self.post(client, "/admin/invitations/\(invitation.id)/revoke", as: admin).status == .seeOther)
            #expect(try await Self.join(client, secret, email: "z@example.org").status == .gone)
            #expect(try await SQLUserRepository(database: database).list().map(\.email) == ["admin@example.org"])
        }
    }

    /// Every admin route, as (method, path, form fields).
    static func adminRoutes(userID: String, invitationID: String) -> [(HTTPRequest.Method, String, [(String, String)])] {
        [
            (.get, "/admin", []), (.get, "/admin/invitations", []), (.get, "/admin/audit", []),
            (.post, "/admin/sign-up", [("mode", "open")]), (.post, "/admin/users/\(userID)/role", [("role", "admin")]),
            (.post, "/admin/users/\(userID)/disable", []), (.post, "/admin/users/\(userID)/enable", []),
            (.post, "/admin/users/\(userID)/reset-password", []),
            (.post, "/admin/invitations", [("role", "admin"), ("days", "7"), ("max_uses", "1")]),
            (.post, "/admin/invitations/\(invitationID)/revoke", []),
        ]
    }

    @Test(
        "learners and mentors get 403 on every admin page and form, by session and by token; strangers are sent to sign in",
        arguments: DatabaseKind.allCases)
    func adminPagesAreForAdminsOnly(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let learner = try await Self.person(client, database, "learner@example.org", role: .learner)
            let mentor = try await Self.person(client, database, "mentor@example.org", role: .mentor)
            _ = try await Self.invite(client, by: admin, role: .learner)
            let invitationID = try #require(try await SQLInvitationRepository(database: database).list().first?.id)
            let routes = Self.adminRoutes(userID: learner.user.id, invitationID: invitationID)
            for outsider in [learner, mentor] {
                let token = try await Self.token(client, for: outsider)
                for (method, path, fields) in routes {
                    let bySession = try await client.execute(
                        uri: path, method: method, headers: formHeaders.with(.cookie, outsider.jar.header),
                        body: formBody([("_csrf", outsider.csrf)] + fields))
                    #expect(bySession.status == .forbidden, "\(outsider.user.email) \(method) \(path)")
                    #expect(bySession.text.contains("Only administrators can open the admin pages"))
                    let byToken = try await client.execute(
                        uri: path, method: method, headers: formHeaders.with(.authorization, "Bearer \(token)"), body: formBody(fields))
                    #expect(byToken.status == .forbidden, "\(outsider.user.email) token \(method) \(path)")
                }
            }
            var stranger = CookieJar()
            stranger.take(try await client.execute(uri: "/signin", method: .get))
            for (method, path, fields) in routes {
                let response = try await client.execute(
                    uri: path, method: method, headers: formHeaders.with(.cookie, stranger.header),
                    body: formBody([("_csrf", stranger["gw_csrf"] ?? "")] + fields))
                #expect(response.status == .seeOther, "anonymous \(method) \(path)")
                #expect(response.headers[.location]?.hasPrefix("/signin?next=/admin") == true)
            }
            // Nothing an outsider sent changed anything.
            #expect(try await SQLUserRepository(database: database).find(id: learner.user.id)?.role == .learner)
            #expect(try await SQLSettingsRepository(database: database, defaultSignUpMode: .closed).signUpMode() == .closed)  // none chosen
            #expect(try await SQLInvitationRepository(database: database).list().count == 1)
            #expect(try await SQLAuditLogRepository(database: database).entries(limit: 100, before: nil).count == 1)
            // An administrator's token and session both open the pages.
            let adminToken = try await Self.token(client, for: admin)
            for (_, path, _) in routes.filter({ $0.0 == .get }) {
                #expect(try await client.execute(uri: path, method: .get, headers: admin.cookie).status == .ok, "\(path)")
                #expect(try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(adminToken)"]).status == .ok, "\(path)")
            }
        }
    }

    @Test("the admin page lists accounts with role and last activity; a role change applies at once", arguments: DatabaseKind.allCases)
    func rolesAndActivity(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let learner = try await Self.person(client, database, "learner@example.org", role: .learner)
            let never = try await SQLUserRepository(database: database).create(email: "never@example.org", passwordHash: "!", role: .learner)
            #expect(try await client.execute(uri: "/admin", method: .get, headers: learner.cookie).status == .forbidden)
            let page = try await client.execute(uri: "/admin", method: .get, headers: admin.cookie)
            #expect(page.text.contains("learner@example.org"))
            #expect(page.text.contains("Accounts <span class=\"muted\">(3)</span>"))
            let accounts = try await SQLUserRepository(database: database).list()
            #expect(accounts.first { $0.id == learner.user.id }?.lastSeenAt != nil)
            #expect(accounts.first { $0.id == never.id }?.lastSeenAt == nil)
            // MUT
            let changed = try await Self.post(client, "/admin/users/\(learner.user.id)/role", as: admin, [("role", "admin")])
            // validate: the learner's cached session now carries the new role
            #expect(changed.status == .seeOther)
            #expect(try await client.execute(uri: "/admin", method: .get, headers: learner.cookie).status == .ok)
            let log = try await client.execute(uri: "/admin/audit", method: .get, headers: admin.cookie)
            #expect(log.text.contains("Role changed"))
            #expect(log.text.contains("learner → admin"))
        }
    }

    @Test("the only active administrator can be neither demoted, disabled nor deleted")
    func lastAdminStays() async throws {
        try await TestApp.test(.team) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let demote = try await Self.post(client, "/admin/users/\(admin.user.id)/role", as: admin, [("role", "learner")])
            #expect(demote.status == .conflict)
            #expect(demote.text.contains("is the only active administrator"))
            #expect(try await Self.post(client, "/admin/users/\(admin.user.id)/disable", as: admin).status == .conflict)
            let delete = try await Self.post(client, "/account/delete", as: admin, [("current_password", Self.password)])
            #expect(delete.status == .conflict)
            #expect(try await SQLUserRepository(database: database).find(id: admin.user.id)?.role == .admin)
        }
    }

    @Test(
        "disabling an account ends its sessions and tokens at once on another instance; enabling lets it back in",
        arguments: DatabaseKind.allCases)
    func disableAcrossInstances(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { databaseA in
                try await location.use { databaseB in
                    let settings = TestApp.configuration(.team)
                    let dependencies = { (database: Database) in
                        AppDependencies(configuration: settings, roadmap: try TestApp.roadmap(), database: database)
                    }
                    let instanceA = Application(router: try await buildRouter(try dependencies(databaseA)))
                    let instanceB = Application(router: try await buildRouter(try dependencies(databaseB)))
                    try await instanceA.test(.router) { a in
                        try await instanceB.test(.router) { b in
                            let admin = try await Self.person(a, databaseA, "admin@example.org", role: .admin)
                            let learner = try await Self.person(a, databaseA, "learner@example.org", role: .learner)
                            let token = try await Self.token(a, for: learner)
                            // B caches the session and the token
                            #expect(try await b.execute(uri: "/api/v1/progress", method: .get, headers: learner.cookie).status == .ok)
                            #expect(
                                try await b.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok
                            )
                            // MUT
                            #expect(try await Self.post(a, "/admin/users/\(learner.user.id)/disable", as: admin).status == .seeOther)
                            // validate
                            let session = try await CacheAcrossInstancesTests.eventually {
                                try await b.execute(uri: "/api/v1/progress", method: .get, headers: learner.cookie)
                            } until: {
                                $0.status == .unauthorized
                            }
                            #expect(session.status == .unauthorized)
                            let bearer = try await CacheAcrossInstancesTests.eventually {
                                try await b.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(token)"])
                            } until: {
                                $0.status == .unauthorized
                            }
                            #expect(bearer.status == .unauthorized)
                            #expect(bearer.text.contains("This account has been disabled"))
                            var jar = CookieJar()
                            jar.take(try await b.execute(uri: "/signin", method: .get))
                            let signIn = try await TeamModeTests.signIn(b, jar: &jar, email: "learner@example.org", password: Self.password)
                            #expect(signIn.status == .forbidden)
                            #expect(signIn.text.contains("This account has been disabled by an administrator"))
                            #expect(try await Self.post(a, "/admin/users/\(learner.user.id)/enable", as: admin).status == .seeOther)
                            let back = try await TeamModeTests.signIn(b, jar: &jar, email: "learner@example.org", password: Self.password)
                            #expect(back.status == .seeOther)
                            #expect(
                                try await b.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok
                            )
                            let log = try await a.execute(uri: "/admin/audit", method: .get, headers: admin.cookie)
                            #expect(log.text.contains("Account disabled"))
                            #expect(log.text.contains("Account enabled"))
                        }
                    }
                }
            }
        }
    }

    @Test("an admin's password reset shows a link that sets a new password once and ends every session", arguments: DatabaseKind.allCases)
    func passwordReset(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let learner = try await Self.person(client, database, "learner@example.org", role: .learner)
            let started = try await Self.post(client, "/admin/users/\(learner.user.id)/reset-password", as: admin)
            #expect(started.status == .ok)
            #expect(started.text.contains("A password-reset link for <strong>learner@example.org</strong>"))
            let secret = try Self.secret(after: "/reset/", in: started.text)
            // The current password and session still work until the link is used.
            #expect(try await client.execute(uri: "/account", method: .get, headers: learner.cookie).status == .ok)
            let form = try await client.execute(uri: "/reset/" + secret, method: .get)
            #expect(form.text.contains("learner@example.org"))
            var jar = CookieJar()
            jar.take(form)
            func choose(_ password: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/reset/" + secret, method: .post, headers: formHeaders.with(.cookie, jar.header),
                    body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("password", password)]))
            }
            let weak = try await choose("1234567890")
            #expect(weak.status == .unprocessableContent)
            #expect(weak.text.contains("one of the most common"))
            // MUT
            let done = try await choose("a brand new passphrase")
            // validate
            #expect(done.status == .seeOther)
            #expect(done.headers[.location] == "/signin?notice=reset")
            #expect(try await client.execute(uri: "/account", method: .get, headers: learner.cookie).status == .seeOther)
            #expect(try await choose("yet another passphrase").status == .gone)
            var fresh = CookieJar()
            fresh.take(try await client.execute(uri: "/signin", method: .get))
            #expect(
                try await TeamModeTests.signIn(client, jar: &fresh, email: "learner@example.org", password: Self.password).status == .unauthorized)
            #expect(
                try await TeamModeTests.signIn(client, jar: &fresh, email: "learner@example.org", password: "a brand new passphrase").status
                    == .seeOther)
            let log = try await client.execute(uri: "/admin/audit", method: .get, headers: admin.cookie)
            #expect(log.text.contains("Password reset started"))
            #expect(!log.text.contains(secret))
        }
    }

    @Test("the audit log records sign-up mode changes and invitations, with who did them, newest first")
    func auditLog() async throws {
        try await TestApp.test(.team) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            _ = try await Self.post(client, "/admin/sign-up", as: admin, [("mode", "closed")])
            _ = try await Self.invite(client, by: admin, role: .mentor, label: "mentors")
            let invitation = try #require(try await SQLInvitationRepository(database: database).list().first)
            _ = try await Self.post(client, "/admin/invitations/\(invitation.id)/revoke", as: admin)
            let entries = try await SQLAuditLogRepository(database: database).entries(limit: 10, before: nil)
            #expect(entries.map(\.action) == [.invitationRevoked, .invitationCreated, .signUpModeChanged])
            #expect(entries.allSatisfy { $0.actor == "admin@example.org" })
            #expect(entries.last?.detail == "open → closed")
            let page = try await client.execute(uri: "/admin/audit", method: .get, headers: admin.cookie)
            #expect(page.text.contains("Invitation revoked"))
            #expect(page.text.contains("Sign-up mode changed"))
            #expect(try await client.execute(uri: "/admin/audit?before=abc", method: .get, headers: admin.cookie).status == .badRequest)
        }
    }

    @Test("hostile input to every admin form gets a clear 4xx and changes nothing")
    func hostileAdminInput() async throws {
        try await TestApp.test(.team) { client, database in
            let admin = try await Self.person(client, database, "admin@example.org", role: .admin)
            let learner = try await Self.person(client, database, "learner@example.org", role: .learner)
            let cases: [(String, [(String, String)], HTTPResponse.Status, String)] = [
                ("/admin/sign-up", [("mode", "everyone")], .unprocessableContent, "Choose a sign-up mode"),
                ("/admin/sign-up", [], .unprocessableContent, "Choose a sign-up mode"),
                ("/admin/users/\(learner.user.id)/role", [("role", "superuser")], .unprocessableContent, "Choose a role"),
                ("/admin/users/\(learner.user.id)/role", [("role", "admin\u{0}")], .unprocessableContent, "NUL character"),
                ("/admin/users/no-such-user/role", [("role", "mentor")], .notFound, "There is no account"),
                ("/admin/users/..%2F..%2Fetc/disable", [], .notFound, ""),
                ("/admin/users/%27%20OR%201=1--/reset-password", [], .notFound, "There is no account"),
                ("/admin/invitations", [("role", "root"), ("days", "7")], .unprocessableContent, "Choose the role"),
                ("/admin/invitations", [("role", "learner"), ("days", "abc")], .unprocessableContent, "Choose how many days"),
                ("/admin/invitations", [("role", "learner"), ("days", "-1")], .unprocessableContent, "Choose how many days"),
                ("/admin/invitations", [("role", "learner"), ("days", "100000000000000000000")], .unprocessableContent, "Choose how many days"),
                ("/admin/invitations", [("role", "learner"), ("days", "7"), ("max_uses", "0")], .unprocessableContent, "from 1 to 1000"),
                ("/admin/invitations", [("role", "learner"), ("days", "7"), ("max_uses", "1e9")], .unprocessableContent, "1 to 1000"),
                ("/admin/invitations", [("role", "learner"), ("days", "7"), ("max_uses", "5000")], .unprocessableContent, "from 1 to 1000"),
                (
                    "/admin/invitations", [("role", "learner"), ("days", "7"), ("label", String(repeating: "x", count: 101))],
                    .unprocessableContent, "100 characters"
                ),
                ("/admin/invitations", [("role", "learner"), ("days", "7"), ("label", "a\u{202E}b")], .unprocessableContent, "direction marks"),
                ("/admin/invitations", [("role", "learner"), ("days", "7"), ("label", "a\nb")], .unprocessableContent, "line breaks"),
                ("/admin/invitations/nope/revoke", [], .notFound, "There is no invitation"),
            ]
            for (path, fields, status, message) in cases {
                let response = try await Self.post(client, path, as: admin, fields)
                #expect(response.status == status, "\(path) \(fields)")
                #expect(message.isEmpty || response.text.contains(message), "\(path) \(fields)")
            }
            #expect(try await SQLUserRepository(database: database).find(id: learner.user.id)?.role == .learner)
            #expect(try await SQLInvitationRepository(database: database).list().isEmpty)
            #expect(try await SQLSettingsRepository(database: database, defaultSignUpMode: .closed).signUpMode() == .closed)  // none chosen
            #expect(try await SQLAuditLogRepository(database: database).entries(limit: 10, before: nil).isEmpty)
            // Unknown or garbled links lead nowhere.
            for path in ["/join/nope", "/join/%00", "/reset/nope", "/reset/" + String(repeating: "a", count: 5000)] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .gone, "\(path)")
            }
        }
    }
}
