import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Storage
import TestSupport
import Testing
import Web

/// The quiz pages: every topic's quiz renders as a plain form, answers are marked with every choice
/// explained, a learner's score is kept and shown on the topic page, and forged or hostile input
/// changes nothing.
@Suite("Quiz pages")
struct QuizPagesTests {
    /// The inputs of a rendered quiz form: for question `q` and choice `c`, the field to send.
    struct QuizForm {
        private var fields: [String: (String, String)] = [:]

        init(_ html: String) {
            let input = /<input type="(?:radio|checkbox)" id="(q\d+-choice\d+)" name="([^"]+)" value="([^"]+)"(?: checked)?>/
            for match in html.matches(of: input) {
                fields[String(match.output.1)] = (String(match.output.2), String(match.output.3))
            }
        }

        var count: Int { fields.count }

        /// The form fields a browser sends when `choices` of each question are ticked.
        /// With `confirmingBlank`, the press of the button that marks a partly blank quiz as it is.
        func body(csrf: String, choosing choices: [Int: [Int]], confirmingBlank: Bool = false) -> ByteBuffer {
            let picked = choices.sorted { $0.key < $1.key }.flatMap { question, picks in
                picks.compactMap { fields["q\(question)-choice\($0)"] }
            }
            return formBody([("_csrf", csrf)] + picked + (confirmingBlank ? [("blank", "confirmed")] : []))
        }
    }

    /// Opens the quiz page of `topicID` and returns it with the browser's cookies.
    static func open(_ client: any TestClientProtocol, _ topicID: String, jar: CookieJar = CookieJar()) async throws -> (
        TestResponse, QuizForm, CookieJar
    ) {
        var jar = jar
        let page = try await client.execute(uri: "/topics/\(topicID)/quiz", method: .get, headers: [.cookie: jar.header])
        jar.take(page)
        return (page, QuizForm(page.text), jar)
    }

    /// Sends the quiz; a partly blank one is marked as it is (the confirming button pressed) unless
    /// `confirmingBlank` is false.
    static func submit(
        _ client: any TestClientProtocol, _ topicID: String, _ form: QuizForm, jar: CookieJar, choosing choices: [Int: [Int]],
        confirmingBlank: Bool = true
    ) async throws -> TestResponse {
        try await client.execute(
            uri: "/topics/\(topicID)/quiz", method: .post, headers: formHeaders.with(.cookie, jar.header),
            body: form.body(csrf: jar["gw_csrf"] ?? "", choosing: choices, confirmingBlank: confirmingBlank))
    }

    static func attemptCount(_ database: Database) async throws -> Int {
        try await database.withSQL { try await $0.raw("SELECT COUNT(*) AS n FROM quiz_attempts").first()?.decode(column: "n", as: Int.self) ?? 0 }
    }

    @Test("every topic's quiz renders: a fieldset per question, radio buttons for one answer, checkboxes for several, linked from the topic page")
    func everyQuizRenders() async throws {
        let roadmap = try TestApp.roadmap()
        #expect(roadmap.topics.count >= 70)
        try await TestApp.test(roadmap: roadmap) { client, _ in
            for topic in roadmap.topics {
                // MUT
                let (page, form, _) = try await Self.open(client, topic.id)
                // validate
                #expect(page.status == .ok, "quiz of \(topic.id)")
                let html = page.text
                #expect(html.components(separatedBy: #"<fieldset class="question""#).count - 1 == topic.quiz.count, "\(topic.id)")
                let multiple = topic.quiz.filter(\.allowsMultipleAnswers).map(\.choices.count).reduce(0, +)
                let single = topic.quiz.filter { !$0.allowsMultipleAnswers }.map(\.choices.count).reduce(0, +)
                #expect(html.components(separatedBy: #"type="checkbox""#).count - 1 == multiple, "\(topic.id)")
                #expect(html.components(separatedBy: #"type="radio""#).count - 1 == single, "\(topic.id)")
                #expect(form.count == multiple + single, "every choice has a label-linked input in \(topic.id)")
                #expect(html.contains(#"name="_csrf""#))
                #expect(!html.contains("`"), "backticks become <code> in \(topic.id)")
                let lesson = try await client.execute(uri: "/topics/\(topic.id)", method: .get)
                #expect(lesson.text.contains(#"<a href="/topics/\#(topic.id)/quiz">Take the quiz</a>: \#(topic.quiz.count) questions"#))
            }
        }
    }

    @Test(
        "marking: right, wrong, unanswered and multiple-answer questions, with every choice explained and the score stored",
        arguments: DatabaseKind.allCases)
    func grading(kind: DatabaseKind) async throws {
        let roadmap = try TestApp.roadmap()
        let topic = try #require(
            roadmap.topics.first { topic in
                topic.quiz.filter(\.allowsMultipleAnswers).count >= 2 && topic.quiz.filter { !$0.allowsMultipleAnswers }.count >= 3
            })
        let multiple = topic.quiz.indices.filter { topic.quiz[$0].allowsMultipleAnswers }
        let single = topic.quiz.indices.filter { !topic.quiz[$0].allowsMultipleAnswers }
        let (rightMultiple, partialMultiple, rightSingle, wrongSingle, blank) = (multiple[0], multiple[1], single[0], single[1], single[2])
        var choices: [Int: [Int]] = [:]
        for index in topic.quiz.indices where ![partialMultiple, wrongSingle, blank].contains(index) {
            choices[index] = topic.quiz[index].answers
        }
        choices[partialMultiple] = Array(topic.quiz[partialMultiple].answers.dropLast())
        choices[wrongSingle] = [topic.quiz[wrongSingle].choices.indices.first { !topic.quiz[wrongSingle].answers.contains($0) }!]
        let expected = topic.quiz.count - 3
        let picks = choices

        try await TestApp.test(on: kind, roadmap: roadmap) { client, database in
            // setup
            let (_, form, jar) = try await Self.open(client, topic.id)
            // MUT: sent with a question blank, the quiz is sent back to confirm, marked only when confirmed
            let unconfirmed = try await Self.submit(client, topic.id, form, jar: jar, choosing: picks, confirmingBlank: false)
            #expect(unconfirmed.text.contains("Not marked yet."))
            #expect(try await Self.attemptCount(database) == 0)
            let result = try await Self.submit(client, topic.id, form, jar: jar, choosing: picks)
            // validate
            #expect(result.status == .ok)
            let html = result.text
            #expect(html.contains("\(expected) of \(topic.quiz.count) right"))
            #expect(html.contains(#"Question \#(rightMultiple + 1): <span class="badge outcome-right">✓ Right</span>"#))
            #expect(html.contains(#"Question \#(rightSingle + 1): <span class="badge outcome-right">✓ Right</span>"#))
            #expect(html.contains(#"Question \#(partialMultiple + 1): <span class="badge outcome-wrong">✗ Wrong</span>"#))
            #expect(html.contains(#"Question \#(wrongSingle + 1): <span class="badge outcome-wrong">✗ Wrong</span>"#))
            #expect(html.contains(#"Question \#(blank + 1): <span class="badge outcome-wrong">✗ Unanswered (counts as wrong)</span>"#))
            #expect(html.contains(##"You left question <a href="#question-\##(blank + 1)">\##(blank + 1)</a> blank; it counts as wrong."##))
            #expect(html.contains("✗ Your choice — not right"))
            #expect(html.contains("✓ Right answer — you did not choose it"))
            let choiceCount = topic.quiz.map(\.choices.count).reduce(0, +)
            #expect(html.components(separatedBy: #"<li class="choice "#).count - 1 == choiceCount, "every choice is listed with its explanation")
            for why in topic.quiz.flatMap(\.choices).map(\.why) where !why.contains(where: { "&<>\"'`".contains($0) }) {
                #expect(html.contains(why))
            }
            #expect(html.contains("Saved. Your score: \(expected) of \(topic.quiz.count)"))
            #expect(html.contains("come back for review in 1 day, then after 3, 7, 16, 35 and 75 days"))
            let scores = try await SQLQuizRepository(database: database).scores(learnerID: "personal", topicID: topic.id)
            #expect(scores?.latest.correct == expected)
            #expect(scores?.latest.total == topic.quiz.count)
            // an empty second attempt is not marked (marking it would reveal every answer) nor kept
            let empty = try await Self.submit(client, topic.id, form, jar: jar, choosing: [:])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("a blank quiz is not marked"))
            #expect(try await SQLQuizRepository(database: database).scores(learnerID: "personal", topicID: topic.id)?.attempts == 1)
        }
    }

    @Test(
        "a partly blank quiz is sent back unmarked, its answers kept and the blank questions named, until the learner confirms; answering the rest marks it without asking",
        arguments: DatabaseKind.allCases)
    func partlyBlankAsksFirst(kind: DatabaseKind) async throws {
        let roadmap = try TestApp.roadmap()
        let topic = try #require(roadmap.topic(id: "http"))
        let blank = [1, 3]
        var chosen: [Int: [Int]] = [:]
        for index in topic.quiz.indices where !blank.contains(index) { chosen[index] = topic.quiz[index].answers }
        let picks = chosen
        try await TestApp.test(on: kind, roadmap: roadmap) { client, database in
            // setup
            let (_, form, jar) = try await Self.open(client, "http")
            // MUT
            let asked = try await Self.submit(client, "http", form, jar: jar, choosing: picks, confirmingBlank: false)
            // validate: nothing revealed or stored; the blank questions named and linked; the answers given still ticked
            #expect(asked.status == .ok)
            let html = asked.text
            #expect(html.contains(##"You left questions <a href="#question-2">2</a> and <a href="#question-4">4</a> blank."##))
            #expect(
                html.contains(
                    #"<button type="submit" name="blank" value="confirmed" class="state-button">Mark my answers with 2 questions blank</button>"#))
            #expect(html.components(separatedBy: #"<span class="badge outcome-wrong">not answered</span>"#).count - 1 == 2)
            #expect(html.contains(#"Question 2 of \#(topic.quiz.count) · <span class="badge outcome-wrong">not answered</span>"#))
            #expect(!html.contains("outcome-right"), "no question is marked yet")
            for why in topic.quiz.flatMap(\.choices).map(\.why) { #expect(!html.contains(why), "no explanation is shown before marking") }
            let checked = html.matches(of: /id="q(\d+)-choice(\d+)" name="[^"]+" value="\d+" checked>/).map { (Int($0.output.1)!, Int($0.output.2)!) }
            let expectedChecked = picks.flatMap { question, choices in choices.map { (question, $0) } }
            #expect(checked.sorted { $0 < $1 }.map { "\($0.0)-\($0.1)" } == expectedChecked.sorted { $0 < $1 }.map { "\($0.0)-\($0.1)" })
            #expect(try await Self.attemptCount(database) == 0)

            // MUT: the same form, one blank question answered now, the other still blank, confirmed
            var more = picks
            more[1] = topic.quiz[1].answers
            let confirmed = try await Self.submit(client, "http", QuizForm(html), jar: jar, choosing: more)
            // validate: marked with question 4 counted as wrong
            #expect(confirmed.text.contains("\(topic.quiz.count - 1) of \(topic.quiz.count) right"))
            #expect(confirmed.text.contains(##"You left question <a href="#question-4">4</a> blank; it counts as wrong."##))
            #expect(try await Self.attemptCount(database) == 1)

            // MUT: every question answered needs no confirmation
            more[3] = topic.quiz[3].answers
            let full = try await Self.submit(client, "http", form, jar: jar, choosing: more, confirmingBlank: false)
            #expect(full.text.contains("\(topic.quiz.count) of \(topic.quiz.count) right"))
            #expect(try await Self.attemptCount(database) == 2)

            // MUT: a blank quiz is not marked even when "confirmed", and a forged confirming value counts for nothing
            let blankConfirmed = try await Self.submit(client, "http", form, jar: jar, choosing: [:])
            #expect(blankConfirmed.status == .unprocessableContent)
            #expect(blankConfirmed.text.contains("a blank quiz is not marked"))
            let forged = try await client.execute(
                uri: "/topics/http/quiz", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("q0", "0"), ("blank", "<script>alert(1)</script>")]))
            #expect(forged.status == .ok)
            #expect(forged.text.contains("Not marked yet."))
            #expect(!forged.text.contains("<script>alert(1)</script>"))
            #expect(try await Self.attemptCount(database) == 2)
        }
    }

    @Test("a score is shown on the topic page, and missed questions that are due are marked there and in the quiz")
    func scoreAndDueQuestionsShown() async throws {
        try await TestApp.test { client, database in
            // setup: everything right but the first question, then two days pass
            let topic = try #require(try TestApp.roadmap().topic(id: "http"))
            let (_, form, jar) = try await Self.open(client, "http")
            var choices: [Int: [Int]] = [:]
            for index in topic.quiz.indices.dropFirst() { choices[index] = topic.quiz[index].answers }
            _ = try await Self.submit(client, "http", form, jar: jar, choosing: choices)
            try await database.withSQL { try await $0.raw("UPDATE quiz_reviews SET due_at = due_at - 172800").run() }
            // MUT
            let lesson = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: jar.header])
            let (quiz, _, _) = try await Self.open(client, "http", jar: jar)
            // validate
            let total = topic.quiz.count
            let percent = Int((Double(total - 1) * 100 / Double(total)).rounded())
            let record = "Your score: \(total - 1) of \(total) (\(percent)%), from your only attempt so far."
            #expect(lesson.text.contains(record))
            #expect(lesson.text.contains("1 question you missed is due for review."))
            #expect(quiz.text.contains(record))
            #expect(quiz.text.components(separatedBy: "due for review</span>").count - 1 == 1)
            #expect(quiz.text.contains(#"Question 1 of \#(total) · <span class="badge state-learning">due for review</span></legend>"#))
        }
    }

    @Test("a quiz post without the CSRF token, or with a wrong one, is refused and stores nothing", arguments: [nil, "forged"])
    func csrfRejected(submitted: String?) async throws {
        try await TestApp.test { client, database in
            // setup
            let (_, _, jar) = try await Self.open(client, "http")
            var fields = [("q0", "0")]
            if let submitted { fields.append(("_csrf", submitted)) }
            // MUT
            let response = try await client.execute(
                uri: "/topics/http/quiz", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody(fields))
            // validate
            #expect(response.status == .forbidden)
            #expect(response.text.contains("This form has expired or was sent from another site"))
            #expect(try await Self.attemptCount(database) == 0)
        }
    }

    @Test(
        "hostile form values count as unanswered and are never echoed (a form with nothing answered is not marked); an unknown topic gets an escaped 404"
    )
    func hostileInput() async throws {
        try await TestApp.test { client, _ in
            // setup
            let (_, _, jar) = try await Self.open(client, "http")
            let script = "<script>alert(1)</script>"
            // MUT
            let result = try await client.execute(
                uri: "/topics/http/quiz", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("q0", script), ("q1-0", script), ("q2", "99"), (script, "1")])
            )
            let missing = try await client.execute(uri: "/topics/%3Cscript%3Ealert(1)%3C%2Fscript%3E/quiz", method: .get)
            // validate: every value is refused, so nothing was answered and no answer is revealed
            #expect(result.status == .unprocessableContent)
            #expect(!result.text.contains(script))
            #expect(result.text.contains("a blank quiz is not marked"))
            #expect(!result.text.contains("Why:"))
            #expect(missing.status == .notFound)
            #expect(!missing.text.contains(script))
            #expect(missing.text.contains("so there is no quiz for it"))
        }
    }

    @Test("quiz text from content is escaped, and only backtick code becomes markup")
    func contentTextIsEscaped() async throws {
        // setup: a copy of the content whose first HTTP question carries markup
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-quiz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: TestApp.repositoryRoot.appendingPathComponent("Content"), to: folder)
        let file = folder.appendingPathComponent("topics/basics/http.md")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let first = try #require(lines.firstIndex { $0.hasPrefix("  - prompt: ") })
        lines[first] = "  - prompt: 'Is <script>alert(1)</script> shown as text, and `<b>` as code?'"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let roadmap = try ContentLoader(contentDirectory: folder, sourceRoot: TestApp.repositoryRoot).loadRoadmap()

        try await TestApp.test(roadmap: roadmap) { client, _ in
            // MUT
            let (page, form, jar) = try await Self.open(client, "http")
            let result = try await Self.submit(client, "http", form, jar: jar, choosing: [:])
            // validate
            for html in [page.text, result.text] {
                #expect(!html.contains("<script>alert(1)</script>"))
                #expect(html.contains("Is &lt;script&gt;alert(1)&lt;/script&gt; shown as text, and <code>&lt;b&gt;</code> as code?"))
            }
        }
    }

    @Test("team mode: a visitor may take a quiz but is told it is not saved; a signed-in learner's score is saved", arguments: DatabaseKind.allCases)
    func teamModeSavesOnlyForLearners(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            // setup
            let (page, form, visitor) = try await Self.open(client, "http")
            let topicPage = try await client.execute(uri: "/topics/http", method: .get)
            // MUT: a visitor, then a new account
            let anonymous = try await Self.submit(client, "http", form, jar: visitor, choosing: [0: [0]])
            let (_, learner) = try await TeamModeTests.signUp(client)
            let saved = try await Self.submit(client, "http", form, jar: learner, choosing: [0: [0]])
            // validate
            #expect(page.text.contains("you can take this quiz, but your score will not be saved"))
            #expect(topicPage.text.contains(#"<a href="/signin?next=/topics/http/quiz">Sign in</a> to keep your scores."#))
            #expect(anonymous.status == .ok)
            #expect(anonymous.text.contains("Your score was not saved because you are not signed in."))
            #expect(saved.status == .ok)
            #expect(saved.text.contains("Saved. Your score: "))
            #expect(try await Self.attemptCount(database) == 1)
            let user = try #require(try await SQLUserRepository(database: database).find(email: "ada@example.org"))
            #expect(try await SQLQuizRepository(database: database).scores(learnerID: user.id, topicID: "http")?.attempts == 1)
        }
    }
}
