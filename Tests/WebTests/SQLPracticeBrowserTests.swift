import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// SQL practice in headless Chromium: Ctrl+Enter in the editor runs the query through the page's
/// script, the verdict comes into view, and the attempt is stored. Screenshots go next to the
/// other browser tests'.
@Suite("SQL practice in a real browser", .serialized)
struct SQLPracticeBrowserTests {
    @Test("Ctrl+Enter runs the SQL: a wrong answer shows its diff, a right one the explanation, and both are stored")
    func runWithKeyboard() async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                var configuration = TestApp.configuration(.personal)
                SQLPracticePagesTests.practice(&configuration)
                let router = try await buildRouter(AppDependencies(configuration: configuration, roadmap: try TestApp.roadmap(), database: database))
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let base = "http://127.0.0.1:\(try #require(client.port))"
                    let browser = try await WebDriver(darkMode: false)
                    do {
                        try await Self.practise(browser, base: base, database: database)
                        await browser.quit()
                    } catch {
                        await browser.quit()
                        throw error
                    }
                }
            }
        }
    }

    /// Types `sql` into the editor and presses Ctrl+Enter, as a learner does.
    static func run(_ sql: String, in browser: WebDriver) async throws {
        let text = String(decoding: try JSONEncoder().encode(sql), as: UTF8.self)
        _ = try await browser.evaluate(
            """
            const editor = document.querySelector('textarea[data-editor="sql"]');
            editor.value = \(text);
            editor.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));
            """)
    }

    static func practise(_ browser: WebDriver, base: String, database: Database) async throws {
        // setup
        try await browser.open(base + "/sql")
        #expect(try await browser.text("h1") == "SQL practice")
        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("sql-1-list.png"))
        try await browser.click(#"a[href="/sql/1"]"#)
        _ = try await browser.element(#"textarea[data-editor="sql"]"#)
        // MUT: a wrong answer, then the right one
        try await Self.run("SELECT name FROM warehouses", in: browser)
        _ = try await browser.element("#verdict-title")
        #expect(try await browser.text("#verdict-title") == "Not yet")
        #expect(try await browser.text("#result").contains("Your query returns 1 column; the expected result has 3 (name, city, country)."))
        #expect(try await browser.currentURL == base + "/sql/1#result")
        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("sql-2-wrong.png"))
        try await Self.run("SELECT name, city, country FROM warehouses", in: browser)
        _ = try await browser.element(".sql-explanation")
        // validate
        #expect(try await browser.text("#verdict-title") == "Correct!")
        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("sql-3-correct.png"))
        let stored = try await SQLPracticePagesTests.storedAttempts(database)
        #expect(stored.map(\.attempts) == [2])
        #expect(stored.map(\.solved) == [1])
    }
}
