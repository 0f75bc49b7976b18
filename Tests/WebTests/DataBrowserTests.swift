import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing
import Web

/// The whole journey in a real browser: a learner writes a note (autosave says so), finds it
/// through search, downloads the JSON export from "Your data", and imports it on a second server
/// through the page's preview and confirm. Screenshots go where BrowserTests puts them.
@Suite("Your data in a real browser", .serialized)
struct DataBrowserTests {
    @Test("write a note, find it by search, export it, import it into a second server")
    func noteSearchExportImport() async throws {
        let downloads = FileManager.default.temporaryDirectory.appendingPathComponent("gw-downloads-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: downloads) }
        try await BrowserTests.withBrowser { browser, base, _ in
            // A note, autosaved as it is typed.
            try await browser.open(base + "/topics/http")
            try await browser.type("form[data-autosave] textarea", "Conditional requests: an *ETag* answers with 304 (quokkaword)")
            let deadline = ContinuousClock.now + .seconds(10)
            while try await browser.text("form[data-autosave] [role=status]") != "Saved.", ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            #expect(try await browser.text("form[data-autosave] [role=status]") == "Saved.")

            // Search finds it.
            try await browser.open(base + "/search?q=quokkaword")
            _ = try await browser.element(#".search-results a[href^="/topics/http"]"#)
            #expect(try await browser.text("main").contains("quokkaword"))
            try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("data-1-search.png"))

            // Download the JSON export from the Your data page.
            try await browser.allowDownloads(to: downloads)
            try await browser.open(base + "/data")
            #expect(try await browser.text("h1") == "Your data")
            try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("data-2-page.png"))
            try await browser.click(#"a[href="/api/v1/export"]"#)
            let file = try await Self.downloaded(in: downloads)
            let exported = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            #expect(
                (exported["notes"] as? [[String: Any]])?.first?["text"] as? String == "Conditional requests: an *ETag* answers with 304 (quokkaword)")

            // A second server, with a database of its own, imports it through its page (the
            // browser is driven from one task at a time, so handing it to the server's closure is safe).
            nonisolated(unsafe) let browser = browser
            try await TestDatabase.with(.sqlite) { location in
                try await location.use { database in
                    let router = try await buildRouter(
                        AppDependencies(configuration: TestApp.configuration(.personal), roadmap: try TestApp.roadmap(), database: database))
                    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    try await app.test(.live) { client in
                        let second = "http://127.0.0.1:\(try #require(client.port))"
                        try await browser.open(second + "/data")
                        try await browser.type("#import-file", file.path)
                        try await browser.click("#import-form button[type=submit]")
                        _ = try await browser.element("#import-result button", timeout: .seconds(10))
                        #expect(try await browser.text("#import-result").contains("Importing this file would make 1 change:"))
                        #expect(try await browser.text("#import-result").contains("Note on http: added."))
                        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("data-3-preview.png"))
                        #expect(try await SQLNoteRepository(database: database).notes(learnerID: "personal") == [])  // a preview stores nothing

                        try await browser.click("#import-result button")
                        let imported = ContinuousClock.now + .seconds(10)
                        while !(try await browser.text("#import-result")).hasPrefix("Imported"), ContinuousClock.now < imported {
                            try await Task.sleep(for: .milliseconds(200))
                        }
                        #expect(try await browser.text("#import-result").hasPrefix("Imported: 1 change saved."))
                        try await browser.screenshot(to: BrowserTests.screenshots.appendingPathComponent("data-4-imported.png"))

                        try await browser.open(second + "/search?q=quokkaword")
                        _ = try await browser.element(#".search-results a[href^="/topics/http"]"#)
                    }
                }
            }
        }
    }

    /// The one finished download in `folder`, waiting up to ten seconds for it.
    static func downloaded(in folder: URL) async throws -> URL {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            if let name = names.first(where: { $0.hasSuffix(".json") }) { return folder.appendingPathComponent(name) }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw WebDriver.Failure(description: "no download arrived in \(folder.path)")
    }
}
