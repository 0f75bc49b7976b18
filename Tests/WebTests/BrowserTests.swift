import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// A real browser against a real server: headless Chromium loads the roadmap and a topic, marks
/// the topic done by clicking its button, and the state lands in the database. Screenshots of
/// each step go to `screenshots/browser/` (or `$GROUNDWORK_SCREENSHOTS`) for a person to look at.
@Suite("Real browser", .serialized)
struct BrowserTests {
    static let screenshots: URL = {
        let folder =
            ProcessInfo.processInfo.environment["GROUNDWORK_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
            ?? TestApp.repositoryRoot.appendingPathComponent("screenshots/browser")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    /// Runs `body` with a live server on 127.0.0.1 (random port) and a browser session.
    static func withBrowser(
        darkMode: Bool = false, mode: AppConfiguration.Mode = .personal,
        _ body: @escaping @Sendable (WebDriver, String, Database) async throws -> Void
    ) async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                let router = try await buildRouter(
                    AppDependencies(configuration: TestApp.configuration(mode), roadmap: try TestApp.roadmap(), database: database))
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
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

    @Test("the roadmap and a topic load, and clicking Done stores the state")
    func markTopicDoneInBrowser() async throws {
        try await Self.withBrowser { browser, base, database in
            // setup
            try await browser.open(base + "/")
            #expect(try await browser.title == "Roadmap · Groundwork")
            #expect(try await browser.text("h1") == "The backend roadmap")
            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("1-roadmap.png"))

            try await browser.click(#"a[href="/topics/http"]"#)
            #expect(try await browser.currentURL == base + "/topics/http")
            #expect(try await browser.text("#topic-title") == "HTTP")
            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("2-topic.png"))

            // MUT
            try await browser.click(#"button[name="state"][value="done"]"#)

            // validate: the page says so, and so does the database
            _ = try await browser.element(#".current-state[data-state="done"]"#)
            #expect(try await browser.text("[role=status]").contains("Saved"))
            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("3-topic-done.png"))
            #expect(try await SQLProgressRepository(database: database).state(learnerID: "personal", topicID: "http") == .done)

            try await browser.open(base + "/")
            #expect(try await browser.text(#"label[for="overall-progress"]"#).hasPrefix("Overall: 1 of"))
        }
    }

    @Test("pages follow the system's dark mode")
    func darkMode() async throws {
        try await Self.withBrowser(darkMode: true) { browser, base, _ in
            try await browser.open(base + "/topics/sql")
            _ = try await browser.element("#topic-title")
            let background = try await browser.evaluate("return getComputedStyle(document.body).backgroundColor") as? String
            #expect(background == "rgb(21, 23, 26)")  // --bg in the dark palette
            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("4-topic-dark.png"))
            try await browser.open(base + "/no-such-page")
            #expect(try await browser.text("h1") == "Not Found")
            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("5-not-found-dark.png"))
        }
    }
}
