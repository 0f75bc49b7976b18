import Foundation
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The three reports of a failed run: text for people, JSON for scripts, JUnit XML for CI.
@Suite("Reporters")
struct ReporterTests {
    /// A real failed run: rest-json against the mutant that forgets Location.
    private static func failedRun() async throws -> LabVerdict {
        try await ReferenceLabTests.check(.restJSON, mutant: RestJSONMutant.noLocation.rawValue, seed: 7)
    }

    @Test("the text report shows request, response, expectation, hint and a curl line, and how to replay")
    func text() async throws {
        // setup
        let verdict = try await Self.failedRun()
        // MUT
        let report = TextReporter(colour: false).report(verdict, replay: "groundwork check rest-json --target URL --seed 7")
        // validate
        #expect(report.contains("✗ POST /notes creates a note"))
        #expect(report.contains("header location: missing"))
        #expect(report.contains("request:   POST http://127.0.0.1:"))
        #expect(report.contains("response:  201"))
        #expect(report.contains("hint:      Answer 201 (not 200)"))
        #expect(report.contains("reproduce: curl -i -X POST 'http://127.0.0.1:"))
        #expect(report.contains("FAILED rest-json at stage 1 'create': 0 of 9 stages passed (seed 7"))
        #expect(
            report.contains(
                "Replay exactly this run against fresh data (restart your server on an empty database, or values it registered last time answer 409): groundwork check rest-json --target URL --seed 7"
            ))
        #expect(!report.contains("\u{1B}["))
    }

    @Test("expectations are shown with this run's values filled in")
    func filledExpectations() async throws {
        // MUT
        let verdict = try await Self.failedRun()
        // validate
        let step = try #require(verdict.firstFailedStage?.steps.first)
        let title = try TestLab.shipped("rest-json").bindings(seed: 7)["title"]?.plainText
        #expect(step.expected.contains("$.title equals \"\(title ?? "?")\""))
    }

    @Test("the JSON report decodes back into the same verdict")
    func json() async throws {
        // setup
        let verdict = try await Self.failedRun()
        // MUT
        let text = JSONReporter.report(verdict)
        // validate
        let decoded = try JSONDecoder().decode(LabVerdict.self, from: Data(text.utf8))
        #expect(decoded.seed == 7)
        #expect(decoded.outcome == .failed)
        #expect(decoded.firstFailedStage?.steps.first?.exchange?.curl == verdict.firstFailedStage?.steps.first?.exchange?.curl)
        #expect(text.contains(#""kind" : "#) == false)
    }

    @Test("the JUnit report is well-formed XML with a test case per step and the failure in full")
    func junit() async throws {
        // setup
        let verdict = try await Self.failedRun()
        // MUT
        let xml = JUnitReporter.report(verdict)
        // validate
        let parsed = try JUnitSummary(xml)
        #expect(parsed.suites == 9)
        #expect(parsed.cases == verdict.stages.flatMap(\.steps).count)
        #expect(parsed.failures == 1)
        #expect(parsed.skipped == parsed.cases - 1)
        #expect(parsed.failureText.contains("reproduce: curl -i -X POST"))
        #expect(parsed.rootAttributes["failures"] == "1")
    }

    @Test("a check stricter than the public suite is marked in the text, the JSON and the JUnit report")
    func beyondMarks() throws {
        // setup
        let stricter = StepVerdict(name: "a random day answers its own unix", outcome: .passed, beyond: "freeCodeCamp")
        let plain = StepVerdict(name: "2016-12-25 answers unix", outcome: .passed)
        let verdict = LabVerdict(
            lab: "timestamp", title: "T", target: "http://127.0.0.1:1", seed: 1, outcome: .passed, durationMS: 3,
            stages: [StageVerdict(number: 1, id: "dates", title: "Dates", outcome: .passed, hint: "h", steps: [plain, stricter])])
        // MUT
        let text = TextReporter(colour: false).report(verdict, replay: "r")
        let json = JSONReporter.report(verdict)
        let junit = JUnitReporter.report(verdict)
        // validate
        #expect(text.contains("✓ a random day answers its own unix [beyond freeCodeCamp]"))
        #expect(!text.contains("✓ 2016-12-25 answers unix [beyond"))
        #expect(json.contains(#""beyond" : "freeCodeCamp""#))
        #expect(junit.contains(#"<property name="beyond" value="freeCodeCamp"/>"#))
        #expect(try JUnitSummary(junit).cases == 2)
    }

    @Test("JUnit escapes markup and drops characters XML cannot carry")
    func junitEscaping() throws {
        // setup
        let step = StepVerdict(
            name: "a <tricky> & \"quoted\" step", outcome: .failed,
            failures: ["body: got \u{01}\u{1B}[31m<html>"], exchange: nil)
        let verdict = LabVerdict(
            lab: "x", title: "X", target: "http://127.0.0.1:1", seed: 1, outcome: .failed, durationMS: 3,
            stages: [StageVerdict(number: 1, id: "s", title: "S & T", outcome: .failed, hint: "h <b>", steps: [step])])
        // MUT
        let parsed = try JUnitSummary(JUnitReporter.report(verdict))
        // validate
        #expect(parsed.cases == 1)
        #expect(parsed.caseNames == ["a <tricky> & \"quoted\" step"])
        #expect(parsed.failureText.contains("<html>"))
    }
}

/// What a CI system reads from a JUnit file, parsed with a real XML parser.
final class JUnitSummary: NSObject, XMLParserDelegate {
    private(set) var suites = 0
    private(set) var cases = 0
    private(set) var failures = 0
    private(set) var skipped = 0
    private(set) var caseNames: [String] = []
    private(set) var failureText = ""
    private(set) var rootAttributes: [String: String] = [:]
    private var inFailure = false

    struct Malformed: Error {
        let description: String
    }

    init(_ xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw Malformed(description: parser.parserError.map { "\($0)" } ?? "unknown XML error")
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        switch name {
        case "testsuites": rootAttributes = attributes
        case "testsuite": suites += 1
        case "testcase":
            cases += 1
            caseNames.append(attributes["name"] ?? "")
        case "failure":
            failures += 1
            inFailure = true
        case "skipped": skipped += 1
        default: break
        }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "failure" { inFailure = false }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inFailure { failureText += string }
    }
}
