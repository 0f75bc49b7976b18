import Curriculum
import Foundation
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing

@testable import ReferenceBackend
@testable import Web

/// The learner's path in a real browser, light and dark, on a desktop and a phone: the roadmap's
/// "What next?" card leads to a lesson, the lesson to the next one, a quiz's results show right
/// and wrong in different colours, and a lab passed live says so in its header without a reload.
/// Screenshots go to `screenshots/path/` for a person to look at.
@Suite("The learner's path in a browser", .serialized)
struct PathBrowserTests {
    static let screenshots: URL = {
        let folder = BrowserTests.screenshots.deletingLastPathComponent().appendingPathComponent("path")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    static let sizes: [(name: String, width: Int, height: Int, mobile: Bool)] = [("desktop", 1366, 900, false), ("phone", 390, 844, true)]

    /// Picks the first choice shown for every question and sends the quiz (first choices are a mix of right and wrong).
    static func answerFirstChoices(_ browser: WebDriver) async throws {
        _ = try await browser.evaluate(
            """
            for (const fieldset of document.querySelectorAll("fieldset.question")) fieldset.querySelector("input").checked = true;
            document.querySelector("form.quiz-form").submit();
            """)
        _ = try await browser.element("#result-title")
    }

    @Test("the What next card leads to the first lesson, the lesson to the next, and quiz results colour right and wrong", arguments: [false, true])
    func whatNext(darkMode: Bool) async throws {
        let mode = darkMode ? "dark" : "light"
        let roadmap = try TestApp.roadmap()
        let afterHTTP = try #require(roadmap.topic(id: "http").flatMap { roadmap.neighbours(of: $0).next?.id })
        try await BrowserTests.withBrowser(darkMode: darkMode) { browser, base, _ in
            for size in Self.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                let shot = { (name: String) in Self.screenshots.appendingPathComponent("\(name)-\(size.name)-\(mode).png") }
                // MUT: the roadmap's card
                try await browser.open(base + "/")
                #expect(try await browser.text("#continue-title") == "What next?")
                try await browser.screenshot(to: shot("1-roadmap"))
                let pageWidth = try await browser.evaluate("return document.documentElement.scrollWidth") as? Int ?? .max
                #expect(pageWidth <= size.width, "no sideways scrolling on the \(size.name)")
                try await browser.click(".continue .next-topic a")
                let first = try await browser.currentURL
                // validate: the end of the lesson leads on
                _ = try await browser.evaluate(#"document.querySelector(".lesson-nav").scrollIntoView()"#)
                try await browser.screenshot(to: shot("2-lesson-end"))
                try await browser.click(#".lesson-nav a[rel="next"]"#)
                #expect(try await browser.currentURL != first)

                // MUT: a quiz sent with the first choice of every question
                try await browser.open(base + "/topics/http/quiz")
                try await Self.answerFirstChoices(browser)
                // validate: right and wrong choices look different
                let colours =
                    try await browser.evaluate(
                        """
                        const colour = (selector) => { const node = document.querySelector(selector); return node ? getComputedStyle(node).backgroundColor : null; };
                        return [colour(".choice.right-chosen, .choice.right-missed"), colour(".choice.wrong-chosen")];
                        """) as? [Any]
                let right = colours?.first as? String
                let wrong = colours?.last as? String
                #expect(right != nil && wrong != nil && right != wrong)
                _ = try await browser.evaluate(#"document.querySelector(".choice.wrong-chosen").scrollIntoView({block: "center"})"#)
                try await browser.screenshot(to: shot("3-quiz-result"))
                try await browser.click(#".next-steps a[rel="next"]"#)
                #expect(try await browser.currentURL == base + "/topics/" + afterHTTP)
            }
        }
    }

    @Test("a lab passed live from its page says Passed in its header and lists the run below the brief, without a reload")
    func livePassUpdatesHeader() async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                var settings = TestApp.configuration(.personal)
                settings.labsDirectory = LabPagesTests.labsDirectory.path
                let router = try await buildRouter(AppDependencies(configuration: settings, roadmap: try TestApp.roadmap(), database: database))
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let base = "http://127.0.0.1:\(try #require(client.port))"
                    try await LocalTarget.reference(.httpBasics) { target in
                        let browser = try await WebDriver()
                        do {
                            // setup
                            try await browser.viewport(width: 1366, height: 900)
                            try await browser.open(base + "/labs/http-basics")
                            #expect(try await browser.text("#lab-title .badge") == "Not run yet")
                            _ = try await browser.evaluate(##"document.querySelector("#run-target").value = "\##(target.absoluteString)""##)
                            #expect(try await browser.text(".stage-bar-label").hasPrefix("Not run yet"))
                            // Records what the header's badge and the stage list say while the run goes on.
                            _ = try await browser.evaluate(
                                """
                                window.seen = { badges: [], running: 0 };
                                new MutationObserver(() => {
                                  seen.badges.push(document.querySelector("#lab-title .badge").textContent);
                                  seen.running = Math.max(seen.running, document.querySelectorAll(".stage-list .s-running").length);
                                }).observe(document.querySelector("main"), { subtree: true, childList: true, characterData: true, attributes: true });
                                """)
                            // MUT
                            try await browser.click(#".run-form button[type="submit"]"#)
                            // validate
                            _ = try await browser.element("#lab-title .badge.result-passed", timeout: .seconds(30))
                            #expect(try await browser.text("#lab-title .badge") == "Passed")
                            let live =
                                try await browser.evaluate(
                                    """
                                    const items = [...document.querySelectorAll(".stage-list .stage-state")];
                                    const bar = document.querySelector("#stage-bar");
                                    return [seen.badges.some((text) => text.startsWith("Running: stage")), seen.running,
                                            items.length, items.filter((item) => item.classList.contains("s-passed")).length,
                                            bar.value, bar.max, document.querySelector(".stage-bar-label").textContent];
                                    """) as? [Any]
                            #expect(live?[0] as? Bool == true, "the header said which stage was running")
                            #expect(live?[1] as? Int == 1, "one stage at a time was marked running")
                            let (count, passed) = (live?[2] as? Int ?? 0, live?[3] as? Int ?? -1)
                            #expect(count > 0 && passed >= count - 1, "every stage run from the page passed (a restart stage is skipped)")
                            #expect(live?[4] as? Int == passed && live?[5] as? Int == count)
                            #expect((live?[6] as? String)?.hasPrefix("Passed: all") == true)
                            _ = try await browser.element("section.brief + section.history")
                            try await browser.screenshot(to: Self.screenshots.appendingPathComponent("4-lab-passed-desktop-light.png"))
                            await browser.quit()
                        } catch {
                            await browser.quit()
                            throw error
                        }
                    }
                }
            }
        }
    }

    @Test("the labs page, and questions missed two days ago answered on the review page, on a desktop and a phone")
    func labsAndReview() async throws {
        let http = try #require(try TestApp.roadmap().topic(id: "http"))
        try await BrowserTests.withBrowser { browser, base, database in
            // setup: two questions missed two days ago
            let missed = (0..<2).map { QuizAnswer(questionIndex: $0, promptHash: http.quiz[$0].promptHash, isCorrect: false) }
            try await SQLQuizRepository(database: database).recordAttempt(
                learnerID: "personal", topicID: "http", answers: missed,
                now: WallClock.nowSeconds() - 2 * 86_400)
            for size in Self.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                try await browser.open(base + "/labs")
                #expect(try await browser.text(".lab-card.start-here h2 a") == "HTTP basics")
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("5-labs-\(size.name)-light.png"))
                let pageWidth = try await browser.evaluate("return document.documentElement.scrollWidth") as? Int ?? .max
                #expect(pageWidth <= size.width, "no sideways scrolling on the \(size.name)")
                try await browser.open(base + "/")
                try await browser.click(#".continue a[href="/review"]"#)
                #expect(try await browser.text(".review-count") == "2 questions are due for review.")
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("6-review-\(size.name)-light.png"))
            }
            // MUT
            try await Self.answerFirstChoices(browser)
            // validate
            #expect(try await browser.text("#result-title") == "Review results")
            for size in Self.sizes.reversed() {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                try await browser.screenshot(to: Self.screenshots.appendingPathComponent("7-review-result-\(size.name)-light.png"))
            }
        }
    }
}
