import LabKit
import Testing

/// What `groundwork labs check` reports for broken lab files: every problem, at its line.
@Suite("Lab validation")
struct LabValidationTests {
    @Test("broken YAML is reported at the line where it breaks")
    func brokenYAML() {
        // setup
        let yaml = "id: demo\ntitle: [unclosed\nsummary: x\n"
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("demo.yaml:3: not valid YAML") == true || problems.first?.hasPrefix("demo.yaml:2: not valid YAML") == true)
    }

    @Test("a missing field is named, at the mapping that lacks it")
    func missingField() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(of: "    hint: Answer 201.\n", with: "")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems == ["demo.yaml:8: stage 1: missing field 'hint'"])
    }

    @Test("an unknown field (a typo) is reported with the fields that exist")
    func unknownField() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(
            of: "        expect:\n          status: 201", with: "        expects:\n          status: 201")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(
            problems == [
                "demo.yaml:18: stage 1: step 1: 'create': unknown field 'expects' (known fields: name, request, expect, capture, timeout_ms, poll_ms, wait_ms, beyond, probe, with, check)"
            ])
    }

    @Test("a ${name} that nothing defined before is reported where it is used")
    func undefinedName() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(of: "path: /things/${thing_id}", with: "path: /things/${thing}")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("demo.yaml:25: stage 1: step 2: 'read': path: ${thing} is not defined before this step") == true)
        #expect(problems.first?.contains("(known here: ${thing_id}, ${title})") == true)
    }

    @Test("a capture cannot be used by the step that captures it")
    func captureUsedTooEarly() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(of: "json: {title: \"${title}\"}", with: "json: {title: \"${thing_id}\"}")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("demo.yaml:17:") == true)
    }

    @Test(
        "values the file gets wrong are explained",
        arguments: [
            (
                "status: 201", "status: 2000",
                "demo.yaml:19: stage 1: step 1: 'create': expect: 'status' must be a code (201), a list of codes ([400, 422]) or a class (2xx)"
            ),
            (
                "method: POST", "method: FETCH",
                "demo.yaml:15: stage 1: step 1: 'create': method 'FETCH' is not one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
            ),
            (
                "path: /things\n", "path: things\n",
                "demo.yaml:16: stage 1: step 1: 'create': path 'things' must start with '/' or with a captured path such as ${note_path} (it is added to the target URL)"
            ),
            (
                "thing_id: {json: $.id}", "thing_id: {json: id}",
                "demo.yaml:21: stage 1: step 1: 'create': capture thing_id: JSON path 'id' must start with '$' (the whole body), e.g. $.items[0].id"
            ),
            (
                "title: words(2)", "title: words(many)",
                "demo.yaml:6: random value 'title': use one of word, words(N), number(MIN, MAX), email, uuid, date(FROM_YEAR, TO_YEAR)"
            ),
            ("- id: create", "- id: Create_It", "demo.yaml:8: stage 1: id 'Create_It' must be lowercase letters, digits and dashes"),
        ])
    func badValues(original: String, broken: String, expected: String) {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(of: original, with: broken)
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems == [expected])
    }

    @Test("a regular expression that does not compile is reported")
    func badPattern() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(
            of: "          status: 201\n", with: "          status: 201\n          headers:\n            location: {matches: \"(unclosed\"}\n")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.contains("'(unclosed' is not a valid regular expression") == true)
    }

    @Test("a step with both a request and a probe, or neither, is refused")
    func requestOrProbe() {
        // setup
        let both = LabFixture.lab().replacingOccurrences(of: "      - name: read\n", with: "      - name: read\n        probe: burst\n")
        let neither = LabFixture.lab(steps: "      - name: nothing\n")
        // MUT
        let bothProblems = LabFixture.check(both).problems
        let neitherProblems = LabFixture.check(neither).problems
        // validate
        #expect(bothProblems == ["demo.yaml:23: stage 1: step 2: 'read': a step has either 'request' or 'probe', not both"])
        #expect(neitherProblems.first?.contains("a step needs 'request:' (an HTTP request) or 'probe:'") == true)
    }

    @Test("an unknown probe lists the probes that exist")
    func unknownProbe() {
        // setup
        let yaml = LabFixture.lab(steps: "      - name: magic\n        probe: teleport\n        with: {}\n")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(
            problems == [
                "demo.yaml:14: stage 1: step 1: 'magic': unknown probe 'teleport' (probes are: concurrent, latency, webhook, burst, restart, instances)"
            ])
    }

    @Test("the restart probe takes no parameters")
    func restartWithParameters() {
        // setup
        let yaml = LabFixture.lab(steps: "      - name: again\n        probe: restart\n        with: {grace_ms: 100}\n")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems == ["demo.yaml:15: stage 1: step 1: 'again': probe restart takes no parameters: remove 'with:'"])
    }

    @Test("duplicate stage ids, an id that is not the file name, and an unknown topic are reported")
    func wholeFileRules() {
        // setup
        var yaml = LabFixture.lab(id: "other")
        yaml += """

              - id: create
                title: Again
                goal: Twice.
                hint: None.
                steps:
                  - name: again
                    request: {method: GET, path: /}
            """
        // MUT
        let problems = LabFixture.check(yaml, id: "demo", knownTopics: ["rest"]).problems
        // validate
        #expect(
            problems == [
                "demo.yaml:1: id 'other' does not match the file name: rename the file to other.yaml or the id to demo",
                "demo.yaml:4: unknown topic 'http': a lab verifies topics of the roadmap, so name an id from Content/topics",
                "demo.yaml:28: duplicate stage id 'create' (first at line 8)",
            ])
    }

    @Test("a missing or too short brief is reported against the .md file")
    func brief() {
        // MUT
        let missing = LabFixture.check(LabFixture.lab(), brief: "").problems
        let short = LabFixture.check(LabFixture.lab(), brief: "Build it.").problems
        // validate
        #expect(missing == ["demo.md:1: the brief is missing: write demo.md (what to build, stage by stage, and how each stage is tested)"])
        #expect(short == ["demo.md:1: the brief has 2 words: it needs at least 150 to say what to build and how each stage is tested"])
    }

    @Test("a lab with problems does not load, so it can never run half-checked")
    func invalidLabDoesNotLoad() {
        // setup
        let yaml = LabFixture.lab().replacingOccurrences(of: "status: 201", with: "status: nope")
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.lab == nil)
        #expect(result.problems.count == 1)
    }
}
