import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@testable import Web

/// Attacks on sign-up and sign-in that once broke something (issue 17, items 5–9): each is replayed
/// here and must get a clear 4xx while the account's owner is still served.
@Suite("Attacks on accounts")
struct AccountAttackTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// Team mode behind a proxy the app trusts, so each request can come from its own address.
    static func behindProxy(
        on kind: DatabaseKind = .sqlite,
        _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        try await TestApp.test(.team, on: kind, configure: { $0.trustProxy = true }, body)
    }

    /// Signs in as a client at `address` (the app trusts the proxy's `X-Forwarded-For`).
    static func signIn(
        _ client: any TestClientProtocol, from address: String, email: String, password: String,
        next: String = "/"
    ) async throws -> TestResponse {
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/signin", method: .get))
        return try await client.execute(
            uri: "/signin", method: .post, headers: formHeaders.with(.cookie, jar.header).with(forwardedFor, address),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password), ("next", next)])
        )
    }

    static func signUp(_ client: any TestClientProtocol, from address: String, email: String, password: String = "correct horse battery") async throws
        -> TestResponse
    {
        var jar = CookieJar()
        jar.take(try await client.execute(uri: "/signup", method: .get))
        return try await client.execute(
            uri: "/signup", method: .post, headers: formHeaders.with(.cookie, jar.header).with(forwardedFor, address),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("email", email), ("password", password)])
        )
    }

    @Test("after sign-in only a path on this site is followed: tabs, backslashes and double slashes go to /")
    func openRedirect() async throws {
        for unsafe in [
            "/\t/evil.example", "/\\evil.example", "\\/evil.example", "//evil.example", "/\n/evil.example", "https://evil.example",
            "/ /evil.example", "evil.example", "/\u{0}/evil.example", "",
        ] {
            #expect(AccountRules.safeNext(unsafe) == "/", "\(unsafe.debugDescription)")
        }
        #expect(AccountRules.safeNext(nil) == "/")
        #expect(AccountRules.safeNext("/topics/http?tab=quiz#top") == "/topics/http?tab=quiz#top")
        try await Self.behindProxy { client, _ in
            _ = try await Self.signUp(client, from: "192.0.2.1", email: "ada@example.org")
            // MUT: the form field arrives percent-decoded, as a browser sends `/%09/evil.example`
            let response = try await Self.signIn(
                client, from: "192.0.2.1", email: "ada@example.org", password: "correct horse battery",
                next: "/\t/evil.example")
            // validate
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
        }
    }

    @Test("an attacker's failures from elsewhere do not lock the owner out")
    func ownerGetsInFromAnotherAddress() async throws {
        try await Self.behindProxy { client, _ in
            _ = try await Self.signUp(client, from: "192.0.2.1", email: "ada@example.org")
            for _ in 0..<5 {
                let failure = try await Self.signIn(client, from: "198.51.100.7", email: "ada@example.org", password: "guessed password")
                #expect(failure.status == .unauthorized)
            }
            // MUT
            let attacker = try await Self.signIn(client, from: "198.51.100.7", email: "ada@example.org", password: "correct horse battery")
            let owner = try await Self.signIn(client, from: "192.0.2.1", email: "ada@example.org", password: "correct horse battery")
            // validate
            #expect(attacker.status == .tooManyRequests)
            #expect(owner.status == .seeOther)
        }
    }

    @Test("wrong passwords sent all at once are counted before any is checked", arguments: DatabaseKind.allCases)
    func concurrentFailuresAreCounted(kind: DatabaseKind) async throws {
        try await Self.behindProxy(on: kind) { client, _ in
            _ = try await Self.signUp(client, from: "192.0.2.1", email: "ada@example.org")
            // MUT: 20 at once from one address, then 20 at once from 20 addresses
            let fromOne = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await Self.signIn(client, from: "198.51.100.7", email: "ada@example.org", password: "guessed password").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let fromMany = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await Self.signIn(client, from: "203.0.113.\(index)", email: "ada@example.org", password: "guessed password").status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // validate: five checked from the one address; of the twenty addresses, only the
            // attempts left under the account's limit of 10, then one per 2 seconds
            #expect(fromOne.filter { $0 == .unauthorized }.count == 5)
            #expect(fromOne.filter { $0 == .tooManyRequests }.count == 15)
            #expect(fromMany.filter { $0 == .unauthorized }.count <= 6)
            #expect(fromMany.filter { $0 == .tooManyRequests }.count >= 14)
        }
    }

    @Test("sign-up refuses common, repeated and sequential passwords and the e-mail itself")
    func weakPasswords() async throws {
        for weak in [
            "          ", "password12", "1234567890", "0987654321", "qwertyuiop", "aaaaaaaaaaaa", "abababababab", "Password2024!",
            "iloveyou123", "ada.lovelace", "ada.lovelace1",
        ] {
            #expect(AccountRules.passwordProblem(weak, email: "ada.lovelace@example.org") != nil, "\(weak)")
        }
        for fine in ["correct horse battery", "tangerine lighthouse 42", "Zq8#mV2!pL0x"] {
            #expect(AccountRules.passwordProblem(fine, email: "ada.lovelace@example.org") == nil, "\(fine)")
        }
        try await TestApp.test(.team) { client, _ in
            let (response, _) = try await TeamModeTests.signUp(client, password: "password12")
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("one of the most common"))
        }
    }

    @Test("valid sign-ups are limited per address")
    func signUpIsLimited() async throws {
        try await Self.behindProxy { client, _ in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<11 {
                statuses.append(try await Self.signUp(client, from: "198.51.100.7", email: "bulk\(index)@example.org").status)
            }
            let elsewhere = try await Self.signUp(client, from: "192.0.2.1", email: "ada@example.org")
            #expect(statuses.prefix(10).allSatisfy { $0 == .seeOther })
            #expect(statuses.last == .tooManyRequests)
            #expect(elsewhere.status == .seeOther)
        }
    }

    @Test("NUL characters are refused with 422 wherever text is stored", arguments: DatabaseKind.allCases)
    func nulIsRefused(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, _ in
            let (_, jar) = try await TeamModeTests.signUp(client)
            // MUT: a token name (form and API), a SQL-practice query
            let tokenForm = try await client.execute(
                uri: "/account/tokens", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("name", "nulname\u{0}")])
            )
            let tokenAPI = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders.with(.cookie, jar.header),
                body: ByteBuffer(string: #"{"name":"nulname\u0000"}"#)
            )
            let query = try await client.execute(
                uri: "/sql/1", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("query", "SELECT 1 -- \u{0}")])
            )
            // validate
            #expect(tokenForm.status == .unprocessableContent)
            #expect(tokenAPI.status == .unprocessableContent)
            #expect(tokenAPI.text.contains("NUL"))
            #expect(query.status == .unprocessableContent)
            let page = try await client.execute(uri: "/account/tokens", method: .get, headers: [.cookie: jar.header])
            #expect(page.status == .ok)
            #expect(!page.text.contains("nulname"))
        }
    }

    @Test("a NUL is found in any text a decoded body holds, however nested; an escaped backslash before u0000 is text")
    func nulInDecodedText() throws {
        struct Body: Decodable {
            struct Inner: Decodable { let tags: [String] }
            let name: String?
            let inner: Inner?
            let labels: [String: String]?
        }
        func decoded(_ json: String) throws -> Body { try JSONDecoder().decode(Body.self, from: Data(json.utf8)) }
        #expect(holdsNUL(try decoded(#"{"name":"\\u0000"}"#)) == false)
        #expect(holdsNUL(try decoded(#"{"name":"a\u0000"}"#)) == true)
        #expect(holdsNUL(try decoded(#"{"inner":{"tags":["ok","x\u0000"]}}"#)) == true)
        #expect(holdsNUL(try decoded(#"{"labels":{"k\u0000":"v"}}"#)) == true)
        #expect(holdsNUL(try decoded(#"{"name":"fine","ignored\u0000":"\u0000"}"#)) == false)
    }
}
