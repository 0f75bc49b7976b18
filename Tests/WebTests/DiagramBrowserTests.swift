import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing

@testable import Web

/// The roadmap diagram and the pages around it in a real browser, light and dark, on a desktop and
/// a phone: the diagram reflows without sideways scrolling, its nodes are links a keyboard reaches,
/// the lab page's stage list is there, and axe-core finds no accessibility violation on any page.
/// Screenshots go to `screenshots/diagram/` for a person to look at.
@Suite("The roadmap diagram in a browser", .serialized)
struct DiagramBrowserTests {
    static let screenshots: URL = {
        let folder = BrowserTests.screenshots.deletingLastPathComponent().appendingPathComponent("diagram")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    static let sizes = PathBrowserTests.sizes

    /// Some progress so every look shows: done, learning, skipped, a group done.
    static func seed(_ database: Database) async throws {
        let progress = SQLProgressRepository(database: database)
        for (topic, state) in [
            ("how-the-internet-works", ProgressState.done), ("http", .learning), ("terminal-and-os", .skipped),
            ("programming-fundamentals", .done), ("language-python", .done),
        ] {
            try await progress.setState(state, learnerID: "personal", topicID: topic)
        }
    }

    @Test("the diagram shows on desktop and phone without sideways scrolling; a node is focusable and leads to its topic", arguments: [false, true])
    func diagram(darkMode: Bool) async throws {
        let mode = darkMode ? "dark" : "light"
        try await BrowserTests.withBrowser(darkMode: darkMode) { browser, base, database in
            try await Self.seed(database)
            for size in Self.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                let shot = { (name: String) in Self.screenshots.appendingPathComponent("\(name)-\(size.name)-\(mode).png") }
                try await browser.open(base + "/")
                _ = try await browser.evaluate(##"document.querySelector("#diagram-title").scrollIntoView()"##)
                try await browser.screenshot(to: shot("1-diagram"))
                // validate: one drawing per stage is shown, the one that fits
                let shown =
                    try await browser.evaluate(
                        """
                        const visible = (selector) => [...document.querySelectorAll(selector)].filter((node) => node.getBoundingClientRect().width > 0).length;
                        return [visible("svg.wide"), visible("svg.narrow"), document.documentElement.scrollWidth];
                        """) as? [Int]
                #expect(shown?[0] == (size.mobile ? 0 : 6), "wide drawings on the \(size.name)")
                #expect(shown?[1] == (size.mobile ? 6 : 0), "narrow drawings on the \(size.name)")
                #expect((shown?[2] ?? .max) <= size.width, "no sideways scrolling on the \(size.name)")
                // validate: the node text fits its box (no title runs out of its node)
                let overflowing =
                    try await browser.evaluate(
                        """
                        const out = [];
                        for (const node of document.querySelectorAll(".diagram-stage svg a.node")) {
                          if (node.getBoundingClientRect().width === 0) continue;
                          const box = node.querySelector("rect").getBoundingClientRect();
                          for (const span of node.querySelectorAll("tspan")) {
                            const r = span.getBoundingClientRect();
                            if (r.right > box.right + 1) out.push(span.textContent);
                          }
                        }
                        return out;
                        """) as? [String]
                #expect(overflowing == [], "titles that run out of their node: \(overflowing ?? [])")
                // MUT: a keyboard reaches a node; Enter-equivalent click opens its topic
                let selector = size.mobile ? #"svg.narrow a.node[href="/topics/sql"]"# : #"svg.wide a.node[href="/topics/sql"]"#
                let focused =
                    try await browser.evaluate(
                        """
                        const node = document.querySelector('\(selector)');
                        node.focus(); node.scrollIntoView({block: "center"});
                        return document.activeElement === node && node.tabIndex >= 0;
                        """) as? Bool
                #expect(focused == true)
                try await browser.screenshot(to: shot("2-node-focused"))
                try await browser.click(selector)
                #expect(try await browser.currentURL == base + "/topics/sql")
                // The activity calendar and the legend.
                try await browser.open(base + "/")
                _ = try await browser.evaluate(##"document.querySelector("#activity-title").scrollIntoView()"##)
                try await browser.screenshot(to: shot("3-activity"))
            }
        }
    }

    @Test("the labs page, a lab page with its stage list, the token confirmation and the review page, light and dark", arguments: [false, true])
    func pages(darkMode: Bool) async throws {
        let mode = darkMode ? "dark" : "light"
        try await BrowserTests.withBrowser(darkMode: darkMode) { browser, base, database in
            try await Self.seed(database)
            let tokens = SQLTokenRepository(database: database)
            let token = try await tokens.create(userID: "personal", name: "laptop CLI", tokenHash: String(repeating: "a", count: 64))
            for size in Self.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                let shot = { (name: String) in Self.screenshots.appendingPathComponent("\(name)-\(size.name)-\(mode).png") }
                try await browser.open(base + "/labs")
                #expect(try await browser.text(".start-mark strong") == "Start here")
                try await browser.screenshot(to: shot("4-labs"))
                try await browser.open(base + "/labs/http-basics")
                #expect(try await browser.text(".stage-bar-label").hasPrefix("Not run yet"))
                _ = try await browser.evaluate(#"document.querySelector(".stage-board").scrollIntoView()"#)
                try await browser.screenshot(to: shot("5-lab"))
                try await browser.open(base + "/account/tokens/\(token.id)/revoke")
                #expect(try await browser.text("h1") == "Revoke the token “laptop CLI”?")
                try await browser.screenshot(to: shot("6-revoke"))
                let width = try await browser.evaluate("return document.documentElement.scrollWidth") as? Int ?? .max
                #expect(width <= size.width)
                // The footer sits at the bottom of a short page.
                let footer =
                    try await browser.evaluate(
                        #"return Math.round(document.querySelector("footer.site").getBoundingClientRect().bottom)"#) as? Int
                #expect(footer == size.height, "footer at the bottom of the \(size.name) window")
            }
        }
    }

    /// axe-core's script, from the PyPI package axe-selenium-python (which .ci/run installs).
    static func axeSource() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import axe_selenium_python, os; print(os.path.join(os.path.dirname(axe_selenium_python.__file__), 'node_modules', 'axe-core', 'axe.min.js'))",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let path = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let source = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw WebDriver.Failure(description: "axe-core is missing: python3 -m pip install axe-selenium-python (.ci/run does)")
        }
        return source
    }

    /// The violations axe-core finds on the open page, as "rule: where" lines.
    static func violations(_ browser: WebDriver, axe: String) async throws -> [String] {
        _ = try await browser.evaluate(axe)
        let found = try await browser.evaluateAsync(
            """
            const done = arguments[arguments.length - 1];
            axe.run(document).then((result) => done(result.violations.map((v) =>
              v.id + ": " + v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", "))))
              .catch((error) => done(["axe failed: " + error]));
            """)
        return found as? [String] ?? ["axe returned nothing"]
    }

    @Test("axe-core finds no violation on any page, light and dark, desktop and phone", arguments: [false, true])
    func accessibility(darkMode: Bool) async throws {
        let axe = try Self.axeSource()
        try await BrowserTests.withBrowser(darkMode: darkMode) { browser, base, database in
            try await Self.seed(database)
            let token = try await SQLTokenRepository(database: database).create(
                userID: "personal", name: "laptop", tokenHash: String(repeating: "b", count: 64))
            let pages = [
                "/", "/topics/http", "/topics/http/quiz", "/review", "/labs", "/labs/http-basics", "/sql", "/notes",
                "/search?q=cache", "/account/tokens", "/account/tokens/\(token.id)/revoke", "/topics/nope",
            ]
            for size in Self.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                for page in pages {
                    try await browser.open(base + page)
                    let found = try await Self.violations(browser, axe: axe)
                    #expect(found == [], "\(page) on the \(size.name): \(found)")
                }
            }
        }
        try await BrowserTests.withBrowser(darkMode: darkMode, mode: .team) { browser, base, _ in
            for page in ["/signin", "/signup", "/"] {
                try await browser.open(base + page)
                let found = try await Self.violations(browser, axe: axe)
                #expect(found == [], "\(page) in team mode: \(found)")
            }
        }
    }
}
