import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing

@testable import Web

/// A next step everywhere: the roadmap's "What next?" card, the links at the end of a lesson and
/// of a quiz's results, and the review page where every question due comes back.
@Suite("What next")
struct WhatNextTests {
    static let day: Int64 = 86_400

    /// The text of the roadmap's "What next?" card.
    static func card(_ html: String) throws -> String {
        let start = try #require(html.range(of: #"<section class="continue""#))
        let end = try #require(html.range(of: "</section>", range: start.upperBound..<html.endIndex))
        return String(html[start.lowerBound..<end.upperBound])
    }

    static func setState(_ client: any TestClientProtocol, _ topicID: String, _ state: String) async throws {
        let response = try await client.execute(
            uri: "/api/v1/progress/\(topicID)", method: .put, headers: jsonHeaders,
            body: ByteBuffer(string: #"{"state":"\#(state)"}"#))
        #expect(response.status == .ok)
    }

    @Test("the roadmap opens with what to do next: the first topic, then the one being learned, then the next to do; and the first lab")
    func continueCard() async throws {
        let roadmap = try TestApp.roadmap()
        let topics = roadmap.topics
        try await LabPagesTests.app { client, _ in
            // MUT: a new learner
            let fresh = try Self.card(try await client.execute(uri: "/", method: .get).text)
            // validate
            #expect(fresh.contains("Start here · \(roadmap.stages[0].title)"))
            #expect(fresh.contains(#"href="/topics/\#(topics[0].id)""#))
            #expect(fresh.contains(#"href="/labs/http-basics""#))
            #expect(fresh.contains("First lab · Beginner · about 1 h"))
            #expect(!fresh.contains("due for review"))

            // MUT: the first topic done, the third being learned
            try await Self.setState(client, topics[0].id, "done")
            try await Self.setState(client, topics[2].id, "learning")
            // validate: the topic being learned comes first
            let learning = try Self.card(try await client.execute(uri: "/", method: .get).text)
            #expect(learning.contains("Continue · "))
            #expect(learning.contains(#"href="/topics/\#(topics[2].id)""#))

            // MUT: the third topic done too
            try await Self.setState(client, topics[2].id, "done")
            // validate: the earliest topic still to do, skipped ones passed over
            try await Self.setState(client, topics[1].id, "skipped")
            let next = try Self.card(try await client.execute(uri: "/", method: .get).text)
            #expect(next.contains("Next up · "))
            #expect(next.contains(#"href="/topics/\#(topics[3].id)""#))
        }
    }

    @Test("a passed lab moves the card on to the next lab in learning order")
    func nextLabAfterAPass() async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app { client, _ in
            // MUT
            #expect(try await LabRunAPITests.upload(client, report).status == .created)
            // validate
            let card = try Self.card(try await client.execute(uri: "/", method: .get).text)
            #expect(!card.contains(#"href="/labs/http-basics""#))
            #expect(card.contains("Next lab · "))
        }
    }

    @Test("the end of a lesson links the quiz and the lessons before and after it, across stages too")
    func lessonNeighbours() async throws {
        let roadmap = try TestApp.roadmap()
        let topics = roadmap.topics
        let lastOfFirstStage = try #require(roadmap.stages[0].topics.last)
        let index = try #require(topics.firstIndex { $0.id == lastOfFirstStage.id })
        try await TestApp.test { client, _ in
            // MUT
            let first = try await client.execute(uri: "/topics/\(topics[0].id)", method: .get).text
            let boundary = try await client.execute(uri: "/topics/\(lastOfFirstStage.id)", method: .get).text
            let last = try await client.execute(uri: "/topics/\(topics[topics.count - 1].id)", method: .get).text
            // validate
            #expect(!first.contains(#"rel="prev""#))
            #expect(first.contains(#"<a href="/topics/\#(topics[1].id)" rel="next">"#))
            #expect(first.contains(#"<a href="/topics/\#(topics[0].id)/quiz">Take the quiz on"#))
            #expect(boundary.contains(#"<a href="/topics/\#(topics[index - 1].id)" rel="prev">"#))
            #expect(boundary.contains(#"<a href="/topics/\#(topics[index + 1].id)" rel="next">"#))
            #expect(boundary.contains("Next · \(roadmap.stages[1].title) →"))
            #expect(!last.contains(#"rel="next""#))
        }
    }

    @Test("quiz results offer the next topic, and mark right and wrong choices with different classes")
    func quizResultNextStep() async throws {
        let roadmap = try TestApp.roadmap()
        let topic = try #require(roadmap.topic(id: "http"))
        let next = try #require(roadmap.topics.firstIndex { $0.id == "http" }.map { roadmap.topics[$0 + 1] })
        let single = try #require(topic.quiz.firstIndex { !$0.allowsMultipleAnswers })
        let right = topic.quiz[single].answers[0]
        let wrong = try #require(topic.quiz[single].choices.indices.first { !topic.quiz[single].answers.contains($0) })
        try await TestApp.test { client, _ in
            let (_, form, jar) = try await QuizPagesTests.open(client, "http")
            // MUT
            let rightResult = try await QuizPagesTests.submit(client, "http", form, jar: jar, choosing: [single: [right]]).text
            let wrongResult = try await QuizPagesTests.submit(client, "http", form, jar: jar, choosing: [single: [wrong]]).text
            // validate
            #expect(rightResult.contains(#"<a href="/topics/\#(next.id)" rel="next">Next topic: \#(LabPagesTests.escaped(next.title)) →</a>"#))
            #expect(rightResult.contains(#"<a href="/topics/http/quiz">Take the quiz again</a>"#))
            #expect(rightResult.contains(#"class="question marked-right" id="question-\#(single + 1)""#))
            #expect(rightResult.contains(#"<li class="choice right-chosen">"#))
            #expect(wrongResult.contains(#"class="question marked-wrong" id="question-\#(single + 1)""#))
            #expect(wrongResult.contains(#"<li class="choice wrong-chosen">"#))
            #expect(wrongResult.contains(#"<li class="choice right-missed">"#))
        }
    }

    /// The fields of the review form: for each question (topic id and index), its field names by choice.
    struct ReviewForm {
        var fields: [String: [Int: (String, String)]] = [:]

        init(_ html: String) {
            let input = /<input type="(?:radio|checkbox)" id="r\d+-choice(\d+)" name="(([a-z0-9-]+):(\d+)(?::\d+)?)" value="(\d+)">/
            for match in html.matches(of: input) {
                fields["\(match.output.3):\(match.output.4)", default: [:]][Int(match.output.1)!] = (String(match.output.2), String(match.output.5))
            }
        }
    }

    @Test(
        "questions missed days ago are counted on the roadmap, asked together on /review, and move on once answered", arguments: DatabaseKind.allCases
    )
    func reviewPage(kind: DatabaseKind) async throws {
        let roadmap = try TestApp.roadmap()
        let http = try #require(roadmap.topic(id: "http"))
        let git = try #require(roadmap.topic(id: "git"))
        try await TestApp.test(on: kind) { client, database in
            // setup: two questions of HTTP and one of Git missed two days ago, one HTTP question right
            let quiz = SQLQuizRepository(database: database)
            let then = WallClock.nowSeconds() - 2 * Self.day
            func answer(_ topic: Topic, _ index: Int, _ right: Bool) -> QuizAnswer {
                QuizAnswer(questionIndex: index, promptHash: topic.quiz[index].promptHash, isCorrect: right)
            }
            try await quiz.recordAttempt(
                learnerID: "personal", topicID: "http",
                answers: [answer(http, 0, false), answer(http, 1, false), answer(http, 2, true)], now: then)
            try await quiz.recordAttempt(learnerID: "personal", topicID: "git", answers: [answer(git, 0, false)], now: then)

            // MUT
            let home = try await client.execute(uri: "/", method: .get).text
            var jar = CookieJar()
            let page = try await client.execute(uri: "/review", method: .get)
            jar.take(page)
            // validate
            #expect(try Self.card(home).contains(#"<a class="primary" href="/review">3 questions due for review</a>"#))
            #expect(page.text.contains("3 questions are due for review."))
            let form = ReviewForm(page.text)
            #expect(Set(form.fields.keys) == ["http:0", "http:1", "git:0"])

            // MUT: HTTP's first question right, Git's wrong, HTTP's second left blank
            func pick(_ key: String, _ question: QuizQuestion, right: Bool) -> [(String, String)] {
                let choices = right ? question.answers : [question.choices.indices.first { !question.answers.contains($0) }!]
                return choices.compactMap { form.fields[key]?[$0] }
            }
            let body = formBody(
                [("_csrf", jar["gw_csrf"] ?? "")] + pick("http:0", http.quiz[0], right: true) + pick("git:0", git.quiz[0], right: false))
            let result = try await client.execute(uri: "/review", method: .post, headers: formHeaders.with(.cookie, jar.header), body: body)
            // validate
            #expect(result.status == .ok)
            #expect(result.text.contains("1 of 2 right"))
            #expect(result.text.contains("class=\"question marked-right\""))
            #expect(result.text.contains("class=\"question marked-wrong\""))
            #expect(result.text.contains(#"From <a href="/topics/git">\#(LabPagesTests.escaped(git.title))</a>"#))
            #expect(result.text.contains("1 question is still due."), "the blank one; the missed one comes back tomorrow")
            let after = try await client.execute(uri: "/review", method: .get).text
            #expect(Set(ReviewForm(after).fields.keys) == ["http:1"])
            #expect(try Self.card(try await client.execute(uri: "/", method: .get).text).contains(">1 question due for review</a>"))
            #expect(try await quiz.due(learnerID: "personal", now: WallClock.nowSeconds() + Self.day).contains { $0.topicID == "git" })
            let scores = try #require(try await quiz.scores(learnerID: "personal", topicID: "http"))
            #expect(scores.attempts == 1, "a review is not a quiz attempt")
        }
    }

    @Test("a review sent blank is not marked; with nothing due the page says so and when the next question comes back")
    func reviewBlankAndEmpty() async throws {
        let roadmap = try TestApp.roadmap()
        let http = try #require(roadmap.topic(id: "http"))
        try await TestApp.test { client, database in
            // MUT: nothing missed yet
            let empty = try await client.execute(uri: "/review", method: .get).text
            // validate
            #expect(empty.contains("Nothing is due for review."))
            #expect(!empty.contains("<form method=\"post\" action=\"/review\""))
        }
        try await TestApp.test { client, database in
            // setup: one question missed today (due tomorrow) and one two days ago
            let quiz = SQLQuizRepository(database: database)
            let now = WallClock.nowSeconds()
            try await quiz.recordAttempt(
                learnerID: "personal", topicID: "http",
                answers: [
                    QuizAnswer(questionIndex: 0, promptHash: http.quiz[0].promptHash, isCorrect: false)
                ], now: now - 2 * Self.day)
            var jar = CookieJar()
            let page = try await client.execute(uri: "/review", method: .get)
            jar.take(page)
            // MUT
            let blank = try await client.execute(
                uri: "/review", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? "")]))
            // validate
            #expect(blank.status == .unprocessableContent)
            #expect(blank.text.contains("Answer at least one question before sending: nothing was marked."))
            #expect(!blank.text.contains("right-chosen"))
        }
    }

    @Test("team mode: the review page asks a visitor to sign in")
    func reviewNeedsSignIn() async throws {
        try await TestApp.test(.team) { client, _ in
            let response = try await client.execute(uri: "/review", method: .get)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/signin?next=/review")
        }
    }
}

/// `groundwork review`'s engine: the same questions as /review, marked and scheduled the same way.
@Suite("Review in a terminal")
struct TerminalReviewTests {
    @Test("the terminal review asks what is due, marks shown numbers, and moves the question on", arguments: DatabaseKind.allCases)
    func terminalReview(kind: DatabaseKind) async throws {
        let roadmap = try TestApp.roadmap()
        let http = try #require(roadmap.topic(id: "http"))
        let single = try #require(http.quiz.indices.first { !http.quiz[$0].allowsMultipleAnswers })
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                // setup: one question missed two days ago
                let review = try await TerminalReview.open(roadmap: roadmap, database: database, email: nil)
                let now = WallClock.nowSeconds()
                try await SQLQuizRepository(database: database).recordAttempt(
                    learnerID: "personal", topicID: "http",
                    answers: [
                        QuizAnswer(questionIndex: single, promptHash: http.quiz[single].promptHash, isCorrect: false)
                    ], now: now - 2 * WhatNextTests.day)
                // MUT
                let due = try await review.due(now: now)
                let question = try #require(due.first)
                let shownRight = try #require(question.choices.firstIndex(of: http.quiz[single].choices[http.quiz[single].answers[0]].text))
                let marked = try await review.answer(question, picked: [shownRight + 1], now: now)
                // validate
                #expect(due.count == 1)
                #expect(question.topicTitle == http.title)
                #expect(question.prompt == http.quiz[single].prompt)
                #expect(marked.isCorrect)
                #expect(marked.rightChoices == [shownRight + 1])
                #expect(try await review.due(now: now).isEmpty)
                #expect(try await review.due(now: now + 3 * WhatNextTests.day).count == 1, "answered right once: back in 3 days")
            }
        }
    }

    @Test("an unknown account is named in the error")
    func unknownAccount() async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                await #expect(throws: UserFacingError.self) {
                    _ = try await TerminalReview.open(roadmap: try TestApp.roadmap(), database: database, email: "nobody@example.org")
                }
            }
        }
    }
}
