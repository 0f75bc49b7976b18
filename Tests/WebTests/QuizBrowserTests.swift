import Foundation
import Testing

/// A partly blank quiz in a real browser, light and dark, on a desktop and a phone: sending it
/// brings the quiz back unmarked with the answers still ticked and the blank questions named, and
/// the second button marks it as it is. Plain form posts: no JavaScript of the page's is involved.
/// Screenshots go to `screenshots/quiz/`.
@Suite("A partly blank quiz in a browser", .serialized)
struct QuizBrowserTests {
    static let screenshots: URL = {
        let folder = BrowserTests.screenshots.deletingLastPathComponent().appendingPathComponent("quiz")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }()

    @Test("a quiz sent with two questions blank asks first, keeps the ticks, and is marked only when confirmed", arguments: [false, true])
    func partlyBlankQuiz(darkMode: Bool) async throws {
        let mode = darkMode ? "dark" : "light"
        try await BrowserTests.withBrowser(darkMode: darkMode) { browser, base, database in
            for size in PathBrowserTests.sizes {
                try await browser.viewport(width: size.width, height: size.height, mobile: size.mobile)
                let shot = { (name: String) in Self.screenshots.appendingPathComponent("\(name)-\(size.name)-\(mode).png") }
                // setup: the first choice of every question but the 2nd and the 4th ticked, as a person would
                try await browser.open(base + "/topics/http/quiz")
                let ticked =
                    try await browser.evaluate(
                        """
                        const sets = [...document.querySelectorAll("fieldset.question")];
                        sets.forEach((set, index) => { if (index !== 1 && index !== 3) set.querySelector("input").click(); });
                        return document.querySelectorAll("input:checked").length;
                        """) as? Int ?? 0
                // MUT: the ordinary submit button
                try await browser.click("form.quiz-form button[type=submit]")
                // validate: sent back unmarked, blank questions named, answers kept
                let notice = try await browser.text("#confirm-blank")
                #expect(notice.contains("Not marked yet. You left questions 2 and 4 blank."), "\(notice)")
                #expect(try await browser.text("#question-2-legend").contains("not answered"))
                let kept = try await browser.evaluate(#"return document.querySelectorAll("input:checked").length"#) as? Int
                #expect(kept == ticked)
                #expect(try await browser.evaluate(#"return document.querySelector(".outcome-right") === null"#) as? Bool == true)
                let pageWidth = try await browser.evaluate("return document.documentElement.scrollWidth") as? Int ?? .max
                #expect(pageWidth <= size.width, "no sideways scrolling on the \(size.name)")
                try await browser.screenshot(to: shot("1-confirm"))
                _ = try await browser.evaluate(#"document.querySelector(".quiz-actions").scrollIntoView({block: "center"})"#)
                try await browser.screenshot(to: shot("2-confirm-buttons"))
                // MUT: the confirming button
                try await browser.click(#"button[name="blank"]"#)
                // validate: marked, the two blanks counted as wrong
                _ = try await browser.element("#result-title")
                #expect(try await browser.evaluate(#"return document.body.innerText.includes("You left questions 2 and 4 blank")"#) as? Bool == true)
                try await browser.screenshot(to: shot("3-marked"))
            }
            #expect(try await QuizPagesTests.attemptCount(database) == PathBrowserTests.sizes.count)
        }
    }
}
