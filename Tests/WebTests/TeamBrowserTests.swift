import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing
import Web

/// A real browser through the team flow (issue 18): an administrator signs in and makes an
/// invitation link for a mentor; a stranger opens it, creates the account, signs in and finds
/// their role on the account page. Screenshots go beside the other browser tests'.
@Suite("Real browser: teams", .serialized)
struct TeamBrowserTests {
    static func shot(_ browser: WebDriver, _ name: String) async throws {
        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("teams-\(name).png"))
    }

    /// Types `value` into the field `selector` (as JavaScript; WebDriver's key events are not needed here).
    static func fill(_ browser: WebDriver, _ selector: String, _ value: String) async throws {
        _ = try await browser.element(selector)
        let escaped = String(data: try JSONSerialization.data(withJSONObject: [selector, value]), encoding: .utf8)!
        _ = try await browser.evaluate("const [s, v] = \(escaped); document.querySelector(s).value = v;")
    }

    static func signIn(_ browser: WebDriver, _ base: String, _ email: String) async throws {
        try await browser.open(base + "/signin")
        try await fill(browser, "#email", email)
        try await fill(browser, "#password", TeamAdminTests.password)
        try await browser.click(#"form[action="/signin"] button[type="submit"]"#)
        _ = try await browser.element(#"form[action="/signout"]"#)
    }

    @Test("an admin invites a mentor; the mentor signs up through the link and signs in")
    func invitationFlow() async throws {
        try await Self.withTeamBrowser(darkMode: false, Self.flow)
    }

    @Test("the admin and account pages in dark mode, on a desktop and a phone")
    func darkPages() async throws {
        try await Self.withTeamBrowser(darkMode: true) { browser, base, _ in
            try await Self.signIn(browser, base, "admin@example.org")
            for (width, height, device) in [(1366, 900, "desktop"), (390, 844, "phone")] {
                try await browser.viewport(width: width, height: height, mobile: device == "phone")
                for (path, name) in [("/admin", "admin"), ("/admin/invitations", "invitations"), ("/admin/audit", "audit"), ("/account", "account")] {
                    try await browser.open(base + path)
                    _ = try await browser.element("h1")
                    let overflow = try await browser.evaluate("return document.documentElement.scrollWidth > window.innerWidth") as? Bool
                    #expect(overflow == false, "\(path) is wider than the \(device) screen")
                    try await Self.shot(browser, "dark-\(name)-\(device)")
                }
            }
        }
    }

    /// A team server (invitation-only, with the administrator admin@example.org) and a browser.
    static func withTeamBrowser(
        darkMode: Bool, _ body: @escaping @Sendable (WebDriver, String, Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                var configuration = TestApp.configuration(.team)
                configuration.signUpMode = .invitation
                let router = try await buildRouter(AppDependencies(configuration: configuration, roadmap: try TestApp.roadmap(), database: database))
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                let hash = try await PasswordHasher(logN: 10).hash(TeamAdminTests.password)
                _ = try await SQLUserRepository(database: database).create(email: "admin@example.org", passwordHash: hash, role: .admin)
                try await app.test(.live) { client in
                    let base = "http://127.0.0.1:\(try #require(client.port))"
                    let browser = try await WebDriver(darkMode: darkMode)
                    do {
                        try await body(browser, base, database)
                        await browser.quit()
                    } catch {
                        await browser.quit()
                        throw error
                    }
                }
            }
        }
    }

    static func flow(_ browser: WebDriver, _ base: String, _ database: Database) async throws {
        try await browser.viewport(width: 1366, height: 900)
        try await signIn(browser, base, "admin@example.org")
        try await browser.open(base + "/account")
        try await browser.click(#"a[href="/admin"]"#)
        #expect(try await browser.text("h1") == "Administration")
        try await shot(browser, "1-admin")
        try await browser.open(base + "/admin/invitations")
        try await fill(browser, "#invite-label", "Spring cohort mentors")
        _ = try await browser.evaluate("document.querySelector('#invite-role').value = 'mentor';")
        try await browser.click(#"form[action="/admin/invitations"] button[type="submit"]"#)
        let link = try await browser.text("code.secret")
        #expect(link.hasPrefix(base + "/join/"))
        try await shot(browser, "2-invitation")
        try await browser.viewport(width: 390, height: 844, mobile: true)
        try await browser.open(base + "/admin")
        try await shot(browser, "2-admin-phone")
        try await browser.viewport(width: 1366, height: 900)
        try await browser.click(#"form[action="/signout"] button"#)
        _ = try await browser.element(#"a[href="/signin"]"#)

        // MUT: the stranger follows the link
        try await browser.open(link)
        #expect(try await browser.text(".notice").contains("invited to join as a mentor"))
        try await shot(browser, "3-join")
        try await fill(browser, "#email", "mentor@example.org")
        try await fill(browser, "#password", TeamAdminTests.password)
        try await browser.click(#"form[action^="/join/"] button[type="submit"]"#)
        #expect(try await browser.text("[role=status]").contains("If that address was new, its account is ready"))
        try await shot(browser, "4-signed-up")
        try await signIn(browser, base, "mentor@example.org")

        // validate
        try await browser.open(base + "/account")
        #expect(try await browser.text("main p").contains("mentor@example.org · Mentor"))
        try await shot(browser, "5-account")
        try await browser.viewport(width: 390, height: 844, mobile: true)
        try await shot(browser, "6-account-phone")
        #expect(try await SQLUserRepository(database: database).find(email: "mentor@example.org")?.role == .mentor)
    }
}
