import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// The crash seen in an attack: an e-mail holding the page-slot marker (`\u{1}7\u{1}`) was accepted at
/// sign-up, and rendering the roadmap for that learner then killed the process, after every restart.
@Suite("Hostile e-mail addresses")
struct HostileEmailTests {
    /// Every page a signed-in learner can open.
    static let pages = [
        "/", "/topics/http", "/topics/http/quiz", "/labs", "/labs/http-basics", "/sql", "/sql/1", "/account/tokens",
        "/signin", "/signup", "/account", "/admin", "/admin/invitations", "/admin/audit",
    ]

    /// Every C0 and C1 control character and DEL, the slot marker around a slot number, and the
    /// right-to-left override.
    static let hostileCharacters: [String] =
        (0x00...0x1F).map { String(UnicodeScalar($0)!) } + (0x7F...0x9F).map { String(UnicodeScalar($0)!) } + ["\u{202E}"]

    @Test("sign-up refuses an e-mail with any control or bidi character, and the server keeps serving")
    func signUpRefusesControlCharacters() async throws {
        try await TestApp.test(.team) { client, database in
            for character in Self.hostileCharacters {
                let email = "crash\(character)7\(character)x@example.org"
                // MUT
                let (response, _) = try await TeamModeTests.signUp(client, email: email)
                // validate
                #expect(response.status == .unprocessableContent, "U+\(String(character.unicodeScalars.first!.value, radix: 16))")
                // NUL is refused before the e-mail is read, as in every form field
                #expect(response.text.contains(character == "\u{0}" ? "NUL character" : "Enter an email address like name@example.org."))
            }
            let users = SQLUserRepository(database: database)
            #expect(try await users.find(email: "crash\u{1}7\u{1}x@example.org") == nil)
            let (fine, _) = try await TeamModeTests.signUp(client, email: "after@example.org")
            #expect(fine.status == .seeOther)
        }
    }

    @Test("a stored account whose e-mail holds slot markers (made before the fix) renders every page", arguments: DatabaseKind.allCases)
    func storedHostileEmailRendersEveryPage(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            // setup: the account as the old sign-up stored it, bypassing today's validation (an
            // administrator, so the admin pages, which list every address, render it too)
            let email = "crash\u{1}7\u{1}\u{1}0\u{1}x@example.org"
            let hash = try await PasswordHasher(logN: 10).hash("correct horse battery")
            _ = try await SQLUserRepository(database: database).create(email: email, passwordHash: hash, role: .admin)
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/signin", method: .get))
            let signIn = try await TeamModeTests.signIn(client, jar: &jar, email: email, password: "correct horse battery")
            #expect(signIn.status == .seeOther)
            for _ in 0..<2 {  // the second time from the roadmap page's cache
                for page in Self.pages {
                    // MUT
                    let response = try await client.execute(uri: page, method: .get, headers: [.cookie: jar.header])
                    // validate
                    #expect(response.status == .ok, "\(page)")
                    #expect(!response.text.contains("\u{1}"), "\(page) shows a raw control character")
                }
            }
            let roadmap = try await client.execute(uri: "/", method: .get, headers: [.cookie: jar.header])
            #expect(roadmap.text.contains("crash\u{FFFD}7\u{FFFD}\u{FFFD}0\u{FFFD}x@example.org"))
            #expect(roadmap.text.contains("name=\"_csrf\" value=\"\(jar["gw_csrf"] ?? "-")\""))
        }
    }

    @Test("e-mails are stored in one normal form: trimmed, NFKC, lower case")
    func emailsAreNormalised() async throws {
        #expect(AccountRules.normalizedEmail("  Ａｄａ@Example.ORG \n") == "ada@example.org")
        #expect(AccountRules.emailProblem(AccountRules.normalizedEmail("ada@example.org")) == nil)
        for bad in ["<script>@example.org", "a\u{200B}b@example.org", "a b@example.org", "a\"b@example.org", "a@b@example.org"] {
            #expect(AccountRules.emailProblem(AccountRules.normalizedEmail(bad)) != nil, "\(bad)")
        }
    }
}
