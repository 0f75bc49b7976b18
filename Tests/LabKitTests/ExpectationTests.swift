import Foundation
import LabKit
import Testing

/// Judging an answer against an expectation, as data: no server, no socket.
@Suite("Expectations")
struct ExpectationTests {
    private func answer(status: Int = 200, headers: [(String, String)] = [("Content-Type", "application/json")], body: String, ms: Int = 5)
        -> MessageSnapshot
    {
        MessageSnapshot(status: status, headers: headers.map { (name: $0.0, value: $0.1) }, body: Data(body.utf8), elapsedMS: ms)
    }

    private func path(_ text: String) throws -> JSONPath { try JSONPath(text) }

    @Test(
        "status: exact, one of a set, or a class",
        arguments: [
            (StatusRule.exact(201), 201, true), (.exact(201), 200, false),
            (.oneOf([400, 422]), 422, true), (.oneOf([400, 422]), 500, false),
            (.classOf(2), 204, true), (.classOf(2), 302, false),
        ])
    func status(rule: StatusRule, status: Int, accepted: Bool) {
        // MUT
        let found = Expectation(status: rule).mismatches(in: answer(status: status, body: ""), bindings: Bindings())
        // validate
        #expect(found.isEmpty == accepted)
        let named: [String] =
            switch status {
            case 500: ["your server answered 500 — it raised an error while answering; its log says why"]
            case 302:
                ["your server answered 302, a redirect without a Location header: this request is checked as it is answered, without following it"]
            default: []
            }
        if !accepted { #expect(found == named + ["status: expected \(rule), got \(status)"]) }
    }

    @Test("every failed check is reported, not only the first")
    func allMismatches() throws {
        // setup
        let expectation = Expectation(
            status: .exact(201),
            headers: [HeaderCheck(name: "Location", rule: .present)],
            json: [JSONCheck(path: try path("$.title"), rule: .equals(.string("${title}")))],
            maxMS: 10
        )
        // MUT
        let found = expectation.mismatches(
            in: answer(status: 200, body: #"{"title": "wrong"}"#, ms: 40),
            bindings: Bindings(["title": .string("right")]))
        // validate
        #expect(
            found == [
                "status: expected 201, got 200",
                "header Location: missing",
                #"$.title: expected "right", got "wrong""#,
                "time: expected an answer within 10 ms, it took 40 ms",
            ])
    }

    @Test("header checks ignore the case of names and of contained text")
    func headers() throws {
        // setup
        let message = answer(headers: [("content-type", "Application/JSON; charset=utf-8"), ("Allow", "GET"), ("Allow", "HEAD")], body: "")
        let checks = [
            HeaderCheck(name: "Content-Type", rule: .contains(try Template("application/json"))),
            HeaderCheck(name: "allow", rule: .equals(try Template("GET, HEAD"))),
            HeaderCheck(name: "allow", rule: .matches("^GET")),
            HeaderCheck(name: "X-Secret", rule: .absent),
        ]
        // MUT
        let found = Expectation(headers: checks).mismatches(in: message, bindings: Bindings())
        // validate
        #expect(found == [])
    }

    @Test("JSON checks: equals keeps types, so 1 is not \"1\"")
    func typedEquals() throws {
        // setup
        let expectation = Expectation(json: [JSONCheck(path: try path("$.id"), rule: .equals(.string("${id}")))])
        // MUT
        let sameType = expectation.mismatches(in: answer(body: #"{"id": 7}"#), bindings: Bindings(["id": .number(7)]))
        let textInstead = expectation.mismatches(in: answer(body: #"{"id": "7"}"#), bindings: Bindings(["id": .number(7)]))
        // validate
        #expect(sameType == [])
        #expect(textInstead == [#"$.id: expected 7, got "7""#])
    }

    @Test(
        "JSON checks on a realistic body",
        arguments: [
            ("$.items", JSONCheck.Rule.length(2), nil),
            ("$.items", .type("array"), nil),
            ("$.items[1].id", .type("integer"), nil),
            ("$.items[1].id", .greaterThan(1), nil),
            ("$.items[1].id", .lessThan(2), "$.items[1].id: expected less than 2, got 2"),
            ("$.items[0].tags", .contains(.string("red")), nil),
            ("$.items[0].title", .contains(.string("alp")), nil),
            ("$.items[0].title", .matches("^al.ha$"), nil),
            ("$.items[0].title", .type("number"), #"$.items[0].title: expected a number, got string "alpha""#),
            ("$.total", .exists(false), "$.total: expected no such value, got 2"),
            ("$.items[5]", .exists(true), "$.items[5]: expected it to exist, but it is not in the body"),
            ("$.nothing", .equals(.null), "$.nothing: not found in the body (expected null)"),
        ] as [(String, JSONCheck.Rule, String?)])
    func jsonChecks(pathText: String, rule: JSONCheck.Rule, problem: String?) throws {
        // setup
        let body = #"{"items": [{"id": 1, "title": "alpha", "tags": ["red", "blue"]}, {"id": 2, "title": "beta", "tags": []}], "total": 2}"#
        // MUT
        let found = Expectation(json: [JSONCheck(path: try path(pathText), rule: rule)]).mismatches(in: answer(body: body), bindings: Bindings())
        // validate
        #expect(found == (problem.map { [$0] } ?? []))
    }

    @Test("a JSON check on a body that is not JSON says what the body is")
    func notJSON() throws {
        // MUT
        let check = Expectation(json: [JSONCheck(path: try path("$.status"), rule: .exists(true))])
        let page = check.mismatches(in: answer(body: "<html>Oops</html>"), bindings: Bindings())
        let text = check.mismatches(in: answer(headers: [("Content-Type", "text/plain")], body: "Oops, an error"), bindings: Bindings())
        // validate
        #expect(page == ["JSON: expected a JSON body, but the body is an HTML page: Oops"])
        #expect(text == [#"JSON: expected a JSON body, but the body is not JSON: "Oops, an error""#])
    }

    @Test("body checks: contains, exactly (a trailing newline is fine), empty")
    func bodyRules() throws {
        // setup
        let hello = answer(body: "Hello, world!\n")
        // MUT / validate
        #expect(Expectation(body: [.equals(try Template("Hello, world!"))]).mismatches(in: hello, bindings: Bindings()) == [])
        #expect(Expectation(body: [.contains(try Template("world"))]).mismatches(in: hello, bindings: Bindings()) == [])
        #expect(
            Expectation(body: [.empty]).mismatches(in: hello, bindings: Bindings()) == [
                #"body: expected no body, got 14 bytes: "Hello, world!"# + "\n\""
            ])
    }

    @Test("a placeholder without a value fails the check and says why")
    func unboundValue() throws {
        // MUT
        let found = Expectation(body: [.contains(try Template("${note_id}"))]).mismatches(in: answer(body: "x"), bindings: Bindings())
        // validate
        #expect(found == ["body: the value ${note_id} is not known: the step that should have captured it did not pass"])
    }

    @Test("captures take a JSON value, a header, or a pattern's group")
    func captures() throws {
        // setup
        let message = answer(headers: [("Location", "http://127.0.0.1:3000/notes/42")], body: #"{"id": 42}"#)
        // MUT
        let id = Capture(name: "id", source: .json(try path("$.id"))).value(from: message)
        let location = Capture(name: "path", source: .header("location"), pattern: "(/notes/[^/]+)$").value(from: message)
        let missing = Capture(name: "etag", source: .header("ETag")).value(from: message)
        // validate
        #expect(try id.get() == .number(42))
        #expect(try location.get() == .string("/notes/42"))
        #expect(throws: CaptureFailure.self) { try missing.get() }
    }
}
