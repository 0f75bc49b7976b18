import Foundation
import LabKit
import Testing

/// Templates, JSON paths, seeded random values and curl lines: the small pieces every step uses.
@Suite("Templates, paths, random values and curl")
struct ValueTests {
    @Test("a template fills ${name} placeholders; one that is only a placeholder keeps the value's type")
    func templates() throws {
        // setup
        let bindings = Bindings(["name": .string("ada lovelace"), "count": .number(3)])
        // MUT / validate
        #expect(try Template("Hello, ${name}!").render(bindings) == "Hello, ada lovelace!")
        #expect(try Template("${count}").renderJSON(bindings) == .number(3))
        #expect(try Template("n=${count}").renderJSON(bindings) == .string("n=3"))
        #expect(try Template("/greet/${name}?n=${count}").renderPath(bindings) == "/greet/ada%20lovelace?n=3")
        #expect(try Template("${path}/x").renderPath(Bindings(["path": .string("/notes/1")])) == "/notes/1/x")
        #expect(throws: UnboundValue.self) { try Template("${nope}").render(bindings) }
    }

    @Test("a malformed template says what is wrong", arguments: ["${open", "${two words}", "${}"])
    func malformedTemplates(text: String) {
        #expect(throws: Template.Malformed.self) { try Template(text) }
    }

    @Test("JSON paths reach members and indices; anything else is refused")
    func jsonPaths() throws {
        // setup
        let body = try #require(JSONValue.parse(Data(#"{"a": {"b-c": [10, {"d": true}]}}"#.utf8)))
        // MUT / validate
        #expect(try JSONPath("$").value(in: body) == body)
        #expect(try JSONPath("$.a.b-c[0]").value(in: body) == .number(10))
        #expect(try JSONPath("$.a.b-c[1].d").value(in: body) == .bool(true))
        #expect(try JSONPath("$.a.x").value(in: body) == nil)
        for bad in ["a.b", "$.", "$[x]", "$..a", "$a"] {
            #expect(throws: JSONPath.Malformed.self, "\(bad)") { try JSONPath(bad) }
        }
    }

    @Test("JSON text: compact, numbers without .0, strings escaped; objects equal whatever their key order")
    func jsonText() throws {
        // setup
        let value = JSONValue.object([(key: "n", value: .number(3)), (key: "s", value: .string("a\"b\n")), (key: "f", value: .number(1.5))])
        // MUT / validate
        #expect(value.jsonText == #"{"n":3,"s":"a\"b\n","f":1.5}"#)
        #expect(JSONValue.parse(Data(value.jsonText.utf8)) == value)
        #expect(JSONValue.parse(Data("not json".utf8)) == nil)
    }

    @Test("random values depend only on the seed and their name", arguments: ["word", "words(3)", "number(1, 6)", "email", "uuid"])
    func seededValues(form: String) throws {
        // setup
        let kind = try #require(RandomValue(form))
        // MUT
        let first = kind.draw(name: "v", seed: 42)
        let again = kind.draw(name: "v", seed: 42)
        let others = (1...20).map { kind.draw(name: "v", seed: UInt64($0)) }
        // validate
        #expect(first == again)
        #expect(Set(others.map(\.jsonText)).count > 1)
        #expect(RandomValue(kind.description) == kind)
    }

    @Test("random values have the promised shapes")
    func randomShapes() throws {
        for seed in UInt64(1)...50 {
            let uuid = RandomValue.uuid.draw(name: "id", seed: seed).plainText
            #expect(uuid.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
            #expect(RandomValue.email.draw(name: "e", seed: seed).plainText.wholeMatch(of: /[a-z]+\d{3}@example\.com/) != nil)
            guard case .number(let number) = RandomValue.number(1...6).draw(name: "n", seed: seed) else {
                Issue.record("not a number")
                continue
            }
            #expect((1...6).contains(number))
            #expect(RandomValue.words(3).draw(name: "w", seed: seed).plainText.split(separator: " ").count == 3)
        }
        #expect(RandomValue("words(0)") == nil)
        #expect(RandomValue("number(5, 1)") == nil)
    }

    @Test("a lab's bindings are the same for the same seed, so --seed replays a run")
    func labBindings() throws {
        // setup
        let lab = try #require(LabFixture.check(LabFixture.lab(random: "  title: words(2)\n  id: uuid")).lab)
        // MUT / validate
        #expect(lab.bindings(seed: 7)["title"] == lab.bindings(seed: 7)["title"])
        #expect(lab.bindings(seed: 7)["id"] != lab.bindings(seed: 8)["id"])
    }

    @Test(
        "curl lines quote for the shell and say the method",
        arguments: [
            (
                RecordedRequest(
                    method: "GET", url: "http://127.0.0.1:3000/x?a=1&b=2", headers: [Header(name: "User-Agent", value: "g")], body: nil,
                    followRedirects: false),
                "curl -i 'http://127.0.0.1:3000/x?a=1&b=2' -H 'User-Agent: g'"
            ),
            (
                RecordedRequest(method: "HEAD", url: "http://h/", headers: [], body: nil, followRedirects: true),
                "curl -I -L 'http://h/'"
            ),
            (
                RecordedRequest(
                    method: "POST", url: "http://h/notes", headers: [Header(name: "Content-Type", value: "application/json")], body: #"{"t":"it's"}"#,
                    followRedirects: false),
                #"curl -i -X POST 'http://h/notes' -H 'Content-Type: application/json' --data-binary '{"t":"it'\''s"}'"#
            ),
            (
                RecordedRequest(method: "POST", url: "http://h/up", headers: [], body: "a\r\nb", followRedirects: false),
                #"curl -i -X POST 'http://h/up' --data-binary $'a\r\nb'"#
            ),
        ])
    func curl(request: RecordedRequest, expected: String) {
        #expect(CurlCommand.make(for: request) == expected)
    }
}
