import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// Team mode: accounts, sessions in the database, CSRF, sign-in rate limits, API tokens.
@Suite("Team mode accounts")
struct TeamModeTests {
    /// Signs up through the form and, when that worked, signs in as a person then does (sign-up
    /// itself never starts a session: see ``signUpAnswersAlikeForTakenAddresses(kind:)``); returns
    /// the sign-up's answer and the browser's cookies (signed in after a successful sign-up).
    static func signUp(_ client: any TestClientProtocol, email: String = "ada@example.org", password: String = "correct horse battery") async throws
        -> (TestResponse, CookieJar)
    {
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/signup", method: .get))
        let response = try await client.execute(
            uri: "/signup", method: .post, headers: formHeaders.with(.cookie, jar.header),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password)])
        )
        jar.take(response)
        if response.status == .seeOther {
            _ = try await signIn(client, jar: &jar, email: email, password: password)
        }
        return (response, jar)
    }

    static func signIn(_ client: any TestClientProtocol, jar: inout CookieJar, email: String, password: String, next: String = "/") async throws
        -> TestResponse
    {
        let response = try await client.execute(
            uri: "/signin", method: .post, headers: formHeaders.with(.cookie, jar.header),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password), ("next", next)])
        )
        jar.take(response)
        return response
    }

    @Test("signing up stores a scrypt hash (never the password); signing in starts a session with a safe cookie", arguments: DatabaseKind.allCases)
    func signUpStartsSession(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            // MUT
            let (response, jar) = try await Self.signUp(client)
            // validate
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/signin?notice=signed-up")
            #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("gw_session=") })
            let user = try #require(try await SQLUserRepository(database: database).find(email: "ada@example.org"))
            #expect(user.passwordHash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
            #expect(!user.passwordHash.contains("correct horse"))
            #expect(user.role == .learner)
            var again = CookieJar()
            again.take(try await client.execute(uri: "/signin", method: .get))
            let signIn = try await Self.signIn(client, jar: &again, email: "ada@example.org", password: "correct horse battery")
            let cookie = try #require(signIn.headers[values: .setCookie].first { $0.hasPrefix("gw_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(!cookie.contains("Secure"))  // plain http, no trusted proxy
            let page = try await client.execute(uri: "/", method: .get, headers: [.cookie: jar.header])
            #expect(page.text.contains("Sign out"))
            #expect(page.text.contains("ada@example.org"))
        }
    }

    @Test("sign-up answers an address that has an account exactly as a new one, and changes nothing", arguments: DatabaseKind.allCases)
    func signUpAnswersAlikeForTakenAddresses(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            _ = try await Self.signUp(client)
            // MUT: the same address (in other letters) with another password, and a new address
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/signup", method: .get))
            func post(_ email: String) async throws -> TestResponse {
                try await client.execute(
                    uri: "/signup", method: .post, headers: formHeaders.with(.cookie, jar.header),
                    body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", "another long password")]))
            }
            let taken = try await post("ADA@example.org")
            let new = try await post("newcomer@example.org")
            // validate: same status, same place, same (absent) cookies, same page once followed
            #expect(taken.status == .seeOther)
            #expect(taken.status == new.status)
            #expect(taken.headers[.location] == new.headers[.location])
            #expect(taken.headers[values: .setCookie] == new.headers[values: .setCookie])
            #expect(taken.text == new.text)
            let notice = try await client.execute(uri: taken.headers[.location] ?? "", method: .get)
            #expect(notice.text.contains("If that address was new, its account is ready"))
            #expect(!notice.text.contains("ada@example.org"))
            let user = try await SQLUserRepository(database: database).find(email: "ada@example.org")
            #expect(try await PasswordHasher(logN: 10).verify("correct horse battery", against: user?.passwordHash ?? ""))
            #expect(try await SQLUserRepository(database: database).find(email: "newcomer@example.org") != nil)
        }
    }

    @Test("behind a trusted proxy that says https, the session cookie is Secure")
    func secureCookieBehindProxy() async throws {
        try await AccountAttackTests.behindProxy { client, _ in
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/signup", method: .get))
            let signUp = try await client.execute(
                uri: "/signup", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("email", "p@example.org"), ("password", "correct horse battery")])
            )
            #expect(signUp.status == .seeOther)
            let response = try await client.execute(
                uri: "/signin", method: .post, headers: formHeaders.with(.cookie, jar.header).with(HTTPField.Name("X-Forwarded-Proto")!, "https"),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("email", "p@example.org"), ("password", "correct horse battery")])
            )
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("gw_session=") })
            #expect(cookie.contains("Secure"))
        }
    }

    @Test("sign-up refuses a bad email and a short password, and echoes input escaped")
    func signUpValidation() async throws {
        try await TestApp.test(.team) { client, _ in
            let (badEmail, _) = try await Self.signUp(client, email: "<script>alert(1)</script>")
            #expect(badEmail.status == .unprocessableContent)
            #expect(badEmail.text.contains("Enter an email address like name@example.org."))
            #expect(badEmail.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!badEmail.text.contains("<script>alert(1)</script>"))

            let (short, _) = try await Self.signUp(client, password: "short")
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("at least 10 characters"))

        }
    }

    @Test("a wrong password and an unknown account get the same 401 answer")
    func wrongPasswordAndUnknownUserLookAlike() async throws {
        try await TestApp.test(.team) { client, _ in
            var (_, jar) = try await Self.signUp(client)
            let wrong = try await Self.signIn(client, jar: &jar, email: "ada@example.org", password: "not the password")
            let unknown = try await Self.signIn(client, jar: &jar, email: "nobody@example.org", password: "not the password")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.text.contains("That email and password do not match an account."))
            #expect(unknown.text.contains("That email and password do not match an account."))
        }
    }

    @Test("sign-in works and returns to a local 'next' page, never to another site")
    func signInRedirects() async throws {
        try await TestApp.test(.team) { client, _ in
            _ = try await Self.signUp(client)
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/signin", method: .get))
            let local = try await Self.signIn(client, jar: &jar, email: "ada@example.org", password: "correct horse battery", next: "/topics/http")
            #expect(local.status == .seeOther)
            #expect(local.headers[.location] == "/topics/http")
            let foreign = try await Self.signIn(
                client, jar: &jar, email: "ada@example.org", password: "correct horse battery", next: "//evil.example/")
            #expect(foreign.headers[.location] == "/")
        }
    }

    @Test("after five failed sign-ins an account is locked out with 429 and Retry-After, even with the right password")
    func signInRateLimitedPerAccount() async throws {
        try await TestApp.test(.team) { client, _ in
            var (_, jar) = try await Self.signUp(client)
            for _ in 0..<5 {
                let response = try await Self.signIn(client, jar: &jar, email: "ada@example.org", password: "wrong password!")
                #expect(response.status == .unauthorized)
            }
            let limited = try await Self.signIn(client, jar: &jar, email: "ada@example.org", password: "correct horse battery")
            #expect(limited.status == .tooManyRequests)
            let retryAfter = Int(limited.headers[HTTPField.Name("Retry-After")!] ?? "") ?? 0
            #expect(retryAfter > 0 && retryAfter <= 900)
            #expect(limited.text.contains("Too many sign-in attempts"))
        }
    }

    @Test("sign-in attempts are limited per client address across accounts")
    func signInRateLimitedPerAddress() async throws {
        try await TestApp.test(.team) { client, _ in
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/signin", method: .get))
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<31 {
                statuses.append(try await Self.signIn(client, jar: &jar, email: "user\(index)@example.org", password: "whatever password").status)
            }
            #expect(statuses.prefix(30).allSatisfy { $0 == .unauthorized })
            #expect(statuses.last == .tooManyRequests)
        }
    }

    @Test("signed out visitors see the roadmap but cannot change progress; the API answers 401")
    func anonymousAccess() async throws {
        try await TestApp.test(.team) { client, database in
            let roadmap = try await client.execute(uri: "/", method: .get)
            #expect(roadmap.status == .ok)
            #expect(roadmap.text.contains("to keep track of your progress"))

            var jar = CookieJar()
            jar.take(roadmap)
            let form = try await client.execute(
                uri: "/topics/http/progress", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("state", "done")]))
            #expect(form.status == .seeOther)
            #expect(form.headers[.location] == "/signin?next=/topics/http")

            for (method, uri) in [(HTTPRequest.Method.get, "/api/v1/progress"), (.put, "/api/v1/progress/http"), (.get, "/api/v1/tokens")] {
                let api = try await client.execute(uri: uri, method: method, headers: jsonHeaders, body: ByteBuffer(string: #"{"state":"done"}"#))
                #expect(api.status == .unauthorized, "\(method) \(uri)")
                #expect(api.headers[.contentType] == "application/problem+json")
            }
            let rows = try await database.withSQL { try await $0.raw("SELECT * FROM progress").all() }
            #expect(rows.isEmpty)
        }
    }

    @Test("a signed-in learner's progress is their own; signing out ends the session for good", arguments: DatabaseKind.allCases)
    func progressAndSignOut(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            let (_, ada) = try await Self.signUp(client)
            let (_, bob) = try await Self.signUp(client, email: "bob@example.org")
            let put = try await client.execute(
                uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders.with(.cookie, ada.header),
                body: ByteBuffer(string: #"{"state":"done"}"#))
            #expect(put.status == .ok)
            let bobs = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.cookie: bob.header])
            #expect((try bobs.json()["progress"] as? [Any])?.isEmpty == true)

            let signOut = try await client.execute(
                uri: "/signout", method: .post, headers: formHeaders.with(.cookie, ada.header),
                body: formBody([("_csrf", ada["gw_csrf"]!)]))
            #expect(signOut.status == .seeOther)
            // The old cookie no longer signs anyone in, even if the browser kept it.
            let replay = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.cookie: ada.header])
            #expect(replay.status == .unauthorized)
            let sessions = try await database.withSQL { try await $0.raw("SELECT token_hash FROM sessions").all() }
            #expect(sessions.count == 1)  // only Bob's
        }
    }

    @Test("a bearer token acts for its owner without cookies or CSRF; a bad token is a 401")
    func bearerTokens() async throws {
        try await TestApp.test(.team) { client, _ in
            let (_, jar) = try await Self.signUp(client)
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, jar.header),
                body: ByteBuffer(string: #"{"name":"ci"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let put = try await client.execute(
                uri: "/api/v1/progress/sql", method: .put,
                headers: jsonHeaders.with(.authorization, "Bearer \(secret)"), body: ByteBuffer(string: #"{"state":"learning"}"#))
            #expect(put.status == .ok)
            let bad = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer gw_forged"])
            #expect(bad.status == .unauthorized)
            #expect((try bad.json()["detail"] as? String)?.contains("unknown or has been revoked") == true)
        }
    }

    @Test("the tokens page shows a new secret once and lists tokens by name")
    func tokensPage() async throws {
        try await TestApp.test(.team) { client, _ in
            let (_, jar) = try await Self.signUp(client)
            let created = try await client.execute(
                uri: "/account/tokens", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("name", "<b>laptop</b>")]))
            #expect(created.status == .created)
            #expect(created.text.contains("shown only once"))
            #expect(created.text.contains("&lt;b&gt;laptop&lt;/b&gt;"))
            let list = try await client.execute(uri: "/account/tokens", method: .get, headers: [.cookie: jar.header])
            #expect(!list.text.contains("shown only once"))
            #expect(list.text.contains("&lt;b&gt;laptop&lt;/b&gt;"))
        }
    }
}
