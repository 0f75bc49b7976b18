import ContentKit
import Foundation
import LabKit
import Testing

/// What makes a lab an honest judge of a learner's server, checked as data: it accepts what the
/// public suite accepts, marks what it demands beyond it, and says what went wrong in words a
/// beginner can act on.
@Suite("Honest judges")
struct HonestJudgeTests {
    private func answer(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: String) -> MessageSnapshot {
        MessageSnapshot(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Data(body.utf8))
    }

    private func lab(_ header: String, steps: String, stageExtra: String = "") -> (lab: Lab?, problems: [String]) {
        LabFixture.check(
            """
            id: demo
            title: Demo
            summary: A lab for tests.
            topics: [http]
            \(header)
            stages:
              - id: only
                title: Only
                goal: Answer.
                hint: Answer.
            \(stageExtra)
                steps:
            \(steps)
            """)
    }

    private static let oneStep = """
              - name: read
                request:
                  method: GET
                  path: /api
        """

    @Test("a lab standing in for a browser follows redirects unless a step says not to; an API lab reports them as they are")
    func browserFollowsRedirects() throws {
        // setup
        let steps =
            Self.oneStep + """

                      - name: the redirect itself
                        request:
                          method: GET
                          path: /r
                          follow_redirects: false
                """
        // MUT
        let browser = try #require(lab("client: browser", steps: steps).lab)
        let api = try #require(lab("", steps: steps).lab)
        // validate
        func follows(_ lab: Lab) -> [Bool] {
            lab.stages[0].steps.map { step in
                if case .request(let check) = step.action { return check.request.followRedirects }
                return false
            }
        }
        #expect(browser.client == .browser)
        #expect(follows(browser) == [true, false])
        #expect(follows(api) == [false, false])
        #expect(browser.stages[0].steps.map(\.client) == [.browser, .browser])
    }

    @Test("a stage can stand for a browser in a lab that stands for an API client")
    func stageClient() throws {
        // MUT
        let parsed = try #require(lab("", steps: Self.oneStep, stageExtra: "    client: browser").lab)
        let wrong = lab("", steps: Self.oneStep, stageExtra: "    client: curl")
        // validate
        #expect(parsed.client == .api)
        #expect(parsed.stages[0].steps[0].client == .browser)
        if case .request(let check) = parsed.stages[0].steps[0].action { #expect(check.request.followRedirects) }
        #expect(wrong.problems.contains { $0.contains("'client' must be one of api, browser") })
    }

    @Test("'beyond' marks a stage or a step stricter than the suite the lab follows, and must name that suite")
    func beyondNamesTheSuite() throws {
        // setup
        let marked = Self.oneStep + "\n        beyond: freeCodeCamp"
        // MUT
        let followed = lab("follows: freeCodeCamp", steps: marked, stageExtra: "    beyond: freeCodeCamp")
        let unfollowed = lab("", steps: marked)
        let otherSuite = lab("follows: RealWorld", steps: marked)
        // validate
        let parsed = try #require(followed.lab)
        #expect(parsed.follows == "freeCodeCamp")
        #expect(parsed.stages[0].beyond == "freeCodeCamp")
        #expect(parsed.stages[0].steps[0].beyond == "freeCodeCamp")
        #expect(parsed.stages[0].steps[0].summary.hasSuffix("[beyond freeCodeCamp]"))
        #expect(
            unfollowed.problems.contains {
                $0.contains("'beyond' marks a check stricter than the suite the lab follows, but the lab has no 'follows:'")
            })
        #expect(otherSuite.problems.contains { $0.contains("'beyond: freeCodeCamp' must name the suite the lab follows ('RealWorld')") })
    }

    @Test("the freeCodeCamp labs fetch like a browser and follow freeCodeCamp; the blog API follows RealWorld")
    func shippedLabsNameTheirSuites() throws {
        // setup
        let loader = LabLoader(directory: LabFixture.repositoryRoot.appendingPathComponent("Content/labs"))
        // MUT
        let labs = try ["timestamp", "whoami", "file-metadata", "url-shortener", "exercise-tracker", "blog-api", "http-basics"].map {
            try loader.load(id: $0)
        }
        // validate
        #expect(labs.map(\.client) == [.browser, .browser, .browser, .browser, .browser, .api, .api])
        #expect(labs.map(\.follows) == ["freeCodeCamp", "freeCodeCamp", "freeCodeCamp", "freeCodeCamp", "freeCodeCamp", "RealWorld", nil])
        for lab in labs.prefix(6) {
            let marked = lab.stages.flatMap { stage in stage.steps.filter { ($0.beyond ?? stage.beyond) != nil } }
            #expect(!marked.isEmpty, "\(lab.id) marks no check beyond \(lab.follows ?? "")")
        }
    }

    @Test("one_of accepts any of its values, so a day or the day before can both pass")
    func oneOf() throws {
        // setup
        let check = JSONCheck(path: try JSONPath("$.date"), rule: .oneOf([.string("${day_text}"), .string("${day_eve_text}")]))
        let day = try #require(CalendarDay(iso: "1990-01-01"))
        let bindings = Bindings(["day_text": .string(day.text), "day_eve_text": .string("Sun Dec 31 1989")])
        // MUT
        let verdicts = ["Mon Jan 01 1990", "Sun Dec 31 1989", "Tue Jan 02 1990"].map { date in
            Expectation(json: [check]).mismatches(in: answer(body: #"{"date": "\#(date)"}"#), bindings: bindings)
        }
        // validate
        #expect(verdicts[0].isEmpty)
        #expect(verdicts[1].isEmpty)
        #expect(verdicts[2] == [#"$.date: expected one of "Mon Jan 01 1990", "Sun Dec 31 1989", got "Tue Jan 02 1990""#])
    }

    @Test("a date value also binds the day before, written as toDateString() writes it")
    func eveOfADate() throws {
        // MUT
        let bindings = Dictionary(RandomValue.date(1990...1990).values(name: "day", seed: 3), uniquingKeysWith: { first, _ in first })
        // validate
        let day = try #require(CalendarDay(iso: bindings["day"]?.plainText ?? ""))
        let eve = CalendarDay(daysSinceEpoch: day.daysSinceEpoch - 1)
        #expect(bindings["day_eve_text"] == .string(eve.text))
        #expect(CalendarDay(daysSinceEpoch: CalendarDay(iso: "1990-01-01")!.daysSinceEpoch - 1).text == "Sun Dec 31 1989")
    }

    @Test("an expected number is printed as a number, in the failure and in the expectation alike")
    func numbersStayNumbers() throws {
        // setup
        let expectation = Expectation(json: [JSONCheck(path: try JSONPath("$.duration"), rule: .equals(.string("${minutes}")))])
        let bindings = Bindings(["minutes": .number(41)])
        // MUT
        let failures = expectation.mismatches(in: answer(body: #"{"duration": "41"}"#), bindings: bindings)
        let expected = expectation.summaries(filledFrom: bindings)
        // validate
        #expect(failures == [#"$.duration: expected 41, got "41""#])
        #expect(expected == ["$.duration equals 41"])
    }

    @Test("checks on every item of a list are said in words")
    func listShapesInWords() throws {
        // setup
        let noBody = JSONCheck(path: try JSONPath("$.articles[*].body"), rule: .length(0))
        let hasSlug = JSONCheck(path: try JSONPath("$.articles[*].slug"), rule: .contains(.string("a-b")))
        // MUT
        let failures = Expectation(json: [noBody, hasSlug]).mismatches(
            in: answer(body: #"{"articles": [{"slug": "x", "body": "text"}]}"#), bindings: Bindings())
        // validate
        #expect(noBody.description == "no item of $.articles has body")
        #expect(hasSlug.description == #"an item of $.articles has slug "a-b""#)
        #expect(
            failures == [
                #"$.articles[*].body: no item of $.articles may have body, but 1 item has it: ["text"]"#,
                #"$.articles[*].slug: expected an item of $.articles whose slug is "a-b"; the items' slug values are ["x"]"#,
            ])
    }

    @Test("a crash is named first, before what the answer lacks")
    func crashFirst() throws {
        // setup
        let expectation = Expectation(json: [JSONCheck(path: try JSONPath("$.ok"), rule: .exists(true))])
        // MUT
        let failures = expectation.mismatches(
            in: answer(status: 500, headers: [("Content-Type", "text/html")], body: "<h1>Error</h1>"),
            bindings: Bindings())
        // validate
        #expect(failures.first == "your server answered 500 — it raised an error while answering; its log says why")
        #expect(failures.count == 2)
    }

    @Test("an unexpected redirect is called a redirect, with where it leads")
    func redirectNamed() throws {
        // setup
        let expectation = Expectation(status: .classOf(2), json: [JSONCheck(path: try JSONPath("$.unix"), rule: .exists(true))])
        // MUT
        let failures = expectation.mismatches(in: answer(status: 301, headers: [("Location", "/api/")], body: ""), bindings: Bindings())
        // validate
        #expect(
            failures == [
                "your server answered 301, a redirect to /api/: this request is checked as it is answered, without following it",
                "status: expected 2xx, got 301",
                "JSON: expected a JSON body, but the body is empty",
            ])
    }

    @Test("a body can be matched by a pattern, as a form field in a page is")
    func bodyPattern() throws {
        // setup
        let rule = BodyRule.matches(#"(?i)<input\b[^>]*\bname\s*=\s*["']?upfile["'\s/>]"#)
        // MUT
        let verdicts = [#"<input type="file" name="upfile">"#, "<INPUT NAME=upfile TYPE=file>", #"<input name="upfiles">"#].map { page in
            Expectation(body: [rule]).mismatches(in: answer(headers: [("Content-Type", "text/html")], body: page), bindings: Bindings())
        }
        // validate
        #expect(verdicts.map(\.isEmpty) == [true, true, false])
    }

    @Test("an HTML page is summarised by its title and first lines of text, never its stylesheet")
    func htmlSummary() {
        // setup
        let page = """
            <!DOCTYPE html><html><head><title>TypeError &amp; more</title>
            <style>body { font-family: monospace; } .frame { color: #888; }</style><script>var x = 1;</script></head>
            <body><h1>TypeError: Cannot read properties of undefined</h1>
            <pre>    at /app/server.js:12:7</pre><p>one</p><p>two</p><p>three</p></body></html>
            """
        // MUT
        let lines = HTMLSummary.lines(of: page, contentType: "text/html; charset=utf-8")
        let json = HTMLSummary.lines(of: #"{"a": 1}"#, contentType: "application/json")
        // validate
        #expect(lines == ["title: TypeError & more", "TypeError: Cannot read properties of undefined", "at /app/server.js:12:7", "one", "two"])
        #expect(json == nil)
    }
}
