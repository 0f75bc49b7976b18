import ContentKit
import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

/// What the microservice and blog labs added to the lab format: dates drawn at random with their
/// other spellings, `near_now_ms`, `[*]` in JSON paths, `wait_ms`, and multipart file names with
/// placeholders.
@Suite("Lab format: dates, near now, [*], wait_ms, file names")
struct LabFormatAdditionsTests {
    private static let now = Date(timeIntervalSince1970: 1_795_608_000)  // 2026-11-25T12:00:00Z

    private func nearNow(_ value: JSONValue, within window: Int) throws -> [String] {
        let body = Data(JSONValue.object([(key: "t", value: value)]).jsonText.utf8)
        let expectation = Expectation(json: [JSONCheck(path: try JSONPath("$.t"), rule: .nearNow(window))])
        return expectation.mismatches(in: MessageSnapshot(status: 200, headers: [], body: body, receivedAt: Self.now), bindings: Bindings())
    }

    @Test("a calendar day has the spellings date APIs give it, before 1970 and on leap days too")
    func calendarDays() throws {
        // MUT
        let day = try #require(CalendarDay(iso: "2016-12-25"))
        // validate
        #expect(day.unixMilliseconds == 1_482_624_000_000)
        #expect(day.utc == "Sun, 25 Dec 2016 00:00:00 GMT")
        #expect(day.text == "Sun Dec 25 2016")
        #expect(day.long == "25 December 2016")
        #expect(CalendarDay(daysSinceEpoch: -1).iso == "1969-12-31")
        #expect(CalendarDay(daysSinceEpoch: -1).utc == "Wed, 31 Dec 1969 00:00:00 GMT")
        #expect(CalendarDay(iso: "2000-02-29") != nil)
        #expect(CalendarDay(iso: "1900-02-29") == nil)
        #expect(CalendarDay(iso: "2016-13-01") == nil)
        for days in stride(from: -40_000, through: 40_000, by: 997) {
            #expect(CalendarDay(daysSinceEpoch: days).daysSinceEpoch == days)
        }
    }

    @Test("a date random value binds a day in its years and its other spellings, the same for the same seed")
    func randomDates() throws {
        // setup
        let lab = try TestLab.stage(
            """
                  - name: uses every spelling
                    request:
                      method: GET
                      path: /api/${day}?unix=${day_unix}&utc=${day_utc}&text=${day_text}&long=${day_long}
            """, random: "  day: date(1990, 1994)")
        // MUT
        let draws = (UInt64(1)...60).map { lab.bindings(seed: $0) }
        // validate
        for bindings in draws {
            let day = try #require(bindings["day"].flatMap { CalendarDay(iso: $0.plainText) })
            #expect((1990...1994).contains(day.year))
            #expect(bindings["day_unix"] == .number(Double(day.unixMilliseconds)))
            #expect(bindings["day_utc"] == .string(day.utc))
            #expect(bindings["day_text"] == .string(day.text))
            #expect(bindings["day_long"] == .string(day.long))
        }
        #expect(Set(draws.compactMap { $0["day"]?.plainText }).count > 30)
        #expect(lab.bindings(seed: 7)["day"] == lab.bindings(seed: 7)["day"])
        #expect(RandomValue("date(1990, 1994)")?.description == "date(1990, 1994)")
        #expect(RandomValue("date(1999, 1990)") == nil)
    }

    @Test("a name a date binds cannot be declared again")
    func dateNamesTaken() {
        // MUT
        let error = #expect(throws: InvalidLab.self) {
            try TestLab.stage(
                """
                      - name: one
                        request: {method: GET, path: /x}
                """, random: "  day: date(1990, 1994)\n  day_utc: word")
        }
        // validate
        #expect(error?.problems.map(\.message).contains { $0.contains("'day_utc' is already taken") } == true)
    }

    @Test("[*] collects a field of every item, skipping items without it")
    func wildcardPaths() throws {
        // setup
        let body = try #require(
            JSONValue.parse(
                Data(
                    #"{"items": [{"id": 1, "tags": ["a"]}, {"id": 2}, {"tags": ["b", "c"]}], "errors": {"body": ["short"], "title": ["blank"]}}"#.utf8
                )))
        // MUT / validate
        #expect(try JSONPath("$.items[*].id").value(in: body) == .array([.number(1), .number(2)]))
        #expect(try JSONPath("$.items[*].tags[*]").value(in: body) == .array([.string("a"), .string("b"), .string("c")]))
        #expect(try JSONPath("$.items[*].body").value(in: body) == .array([]))
        #expect(try JSONPath("$.errors[*][0]").value(in: body) == .array([.string("short"), .string("blank")]))
        #expect(try JSONPath("$.missing[*]").value(in: body) == .array([]))
        #expect(try JSONPath("$.items[1].id").value(in: body) == .number(2))
        #expect(throws: JSONPath.Malformed.self) { try JSONPath("$.items[x]") }
    }

    @Test(
        "near_now_ms: Unix milliseconds and moments in the usual texts within the window pass",
        arguments: [
            JSONValue.number(1_795_607_995_000), .string("Wed, 25 Nov 2026 11:59:50 GMT"), .string("2026-11-25T11:59:50.123Z"),
            .string("2026-11-25T12:59:50+01:00"), .string("Wed Nov 25 2026 13:00:05 GMT+0100 (Central European Standard Time)"),
        ])
    func nearNowPasses(value: JSONValue) throws {
        #expect(try nearNow(value, within: 20_000) == [])
    }

    @Test(
        "near_now_ms: a date without a time stands for its whole day",
        arguments: [
            ("Tue Nov 24 2026", true), ("2026-11-25", true), ("Thu Nov 26 2026", true), ("Mon Nov 23 2026", false), ("Fri Nov 27 2026", false),
        ])
    func nearNowDays(text: String, accepted: Bool) throws {
        #expect(try nearNow(.string(text), within: 86_400_000).isEmpty == accepted)
    }

    @Test("near_now_ms: times outside the window, seconds instead of milliseconds and non-dates fail, saying why")
    func nearNowFailures() throws {
        // MUT
        let late = try nearNow(.number(1_795_607_900_000), within: 20_000)
        let seconds = try nearNow(.number(1_795_608_000), within: 20_000)
        let invalid = try nearNow(.string("Invalid Date"), within: 20_000)
        // validate
        #expect(late == [#"$.t: expected a time within 20000 ms of now (2026-11-25T12:00:00Z), got 1795607900000"#])
        #expect(seconds.first?.hasSuffix("that is seconds since 1970, not milliseconds") == true)
        #expect(invalid.first?.hasPrefix("$.t: expected a date and time such as") == true)
    }

    @Test("near_now_ms and wait_ms must be positive numbers of milliseconds")
    func positiveMilliseconds() {
        // MUT
        let window = #expect(throws: InvalidLab.self) {
            try TestLab.stage(
                """
                      - name: one
                        request: {method: GET, path: /x}
                        expect: {json: [{path: $.t, near_now_ms: 0}]}
                """)
        }
        let pause = #expect(throws: InvalidLab.self) {
            try TestLab.stage(
                """
                      - name: one
                        wait_ms: -5
                        request: {method: GET, path: /x}
                """)
        }
        // validate
        #expect(window?.problems.first?.message.contains("near_now_ms: must be a whole number of milliseconds") == true)
        #expect(pause?.problems.first?.message.contains("field 'wait_ms' must be a whole number from 1 to 10000") == true)
    }

    @Test("wait_ms pauses before its step and says so in the step's summary; a multipart file name is filled in")
    func waitAndFileName() async throws {
        // setup
        let lab = try TestLab.stage(
            """
                  - name: upload
                    wait_ms: 300
                    request:
                      method: POST
                      path: /echo
                      multipart:
                        - {name: upfile, filename: "${word}-notes.txt", content_type: text/plain, value: "hello"}
                    expect:
                      body: {contains: 'filename="${word}-notes.txt"'}
            """)
        let router = Router()
        router.post("/echo") { request, _ in
            var request = request
            return String(buffer: try await request.collectBody(upTo: 4096))
        }
        // MUT
        let verdict = try await LocalServer.serve(router) { url in
            await LabRunner(options: RunOptions(target: url)).run(lab)
        }
        // validate
        #expect(verdict.passed, "\(verdict.stages.flatMap(\.steps).flatMap(\.failures))")
        #expect(verdict.durationMS >= 300)
        #expect(lab.stages[0].steps[0].summary.hasPrefix("after a pause of 300 ms: POST /echo"))
    }
}
