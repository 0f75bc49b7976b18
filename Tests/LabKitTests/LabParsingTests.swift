import Curriculum
import Foundation
import LabKit
import Testing

/// Reading lab files: the model a valid file becomes, and the shipped labs.
@Suite("Lab parsing")
struct LabParsingTests {
    @Test("a valid lab becomes stages of steps with their requests, expectations and captures")
    func validLab() throws {
        // setup
        let yaml = LabFixture.lab()
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.problems == [])
        let lab = try #require(result.lab)
        #expect(lab.id == "demo")
        #expect(lab.topics == ["http"])
        #expect(lab.randomValues.map(\.name) == ["title"])
        #expect(lab.defaultTimeoutMS == 5000)
        let steps = try #require(lab.stages.first?.steps)
        #expect(steps.map(\.name) == ["create", "read"])
        guard case .request(let create) = steps[0].action else {
            Issue.record("create is not a request")
            return
        }
        #expect(create.request.method == "POST")
        #expect(create.expectation.status == .exact(201))
        #expect(create.captures.map(\.name) == ["thing_id"])
        guard case .json(let body)? = create.request.body else {
            Issue.record("create has no JSON body")
            return
        }
        #expect(body == .object([(key: "title", value: .string("${title}"))]))
    }

    @Test("a lab may say how hard it is and how long it takes; a difficulty not on the scale is reported at its line")
    func difficultyAndMinutes() throws {
        // setup
        let described = LabFixture.lab().replacingOccurrences(of: "topics: [http]\n", with: "topics: [http]\ndifficulty: intermediate\nminutes: 90\n")
        let wrong = LabFixture.lab().replacingOccurrences(of: "topics: [http]\n", with: "topics: [http]\ndifficulty: easy\nminutes: 2\n")
        // MUT
        let plain = try #require(LabFixture.check(LabFixture.lab()).lab)
        let result = LabFixture.check(described)
        let refused = LabFixture.check(wrong)
        // validate
        #expect(plain.difficulty == nil && plain.minutes == nil)
        #expect(result.problems == [])
        #expect(result.lab?.difficulty == .intermediate)
        #expect(result.lab?.minutes == 90)
        #expect(refused.problems.contains { $0.hasSuffix(":5: difficulty 'easy' must be one of: beginner, intermediate, advanced") })
        #expect(refused.problems.contains { $0.hasSuffix(":6: field 'minutes' must be a whole number from 5 to 6000") })
    }

    @Test("every kind of expectation and body reads from YAML")
    func expectationKinds() throws {
        // setup
        let yaml = LabFixture.lab(
            steps: """
                      - name: everything
                        timeout_ms: 1500
                        request:
                          method: put
                          path: /things/1?x=${title}
                          headers: {Accept: application/json}
                          form: {a: "${title}", b: "2"}
                          follow_redirects: true
                        expect:
                          status: 2xx
                          headers:
                            content-type: {contains: json}
                            x-exact: "v"
                            location: {matches: "^/things/\\\\d+$"}
                            x-gone: {absent: true}
                          json:
                            - {path: "$.items[0].id", type: integer, gt: 0, lt: 100}
                            - {path: $.tags, contains: "a", length: 2}
                            - {path: $.missing, exists: false}
                          body: {contains: "things"}
                          max_ms: 300
                """)
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.problems == [])
        let step = try #require(result.lab?.stages.first?.steps.first)
        #expect(step.timeoutMS == 1500)
        guard case .request(let check) = step.action else {
            Issue.record("not a request")
            return
        }
        #expect(check.request.method == "PUT")
        #expect(check.request.followRedirects)
        #expect(check.expectation.status == .classOf(2))
        #expect(check.expectation.headers.count == 4)
        #expect(check.expectation.json.count == 6)
        #expect(check.expectation.maxMS == 300)
        #expect(check.expectation.summaries.contains("header location matches the pattern \"^/things/\\d+$\""))
    }

    @Test("probes read with their parameters, and the names they provide (${i}, ${webhook_url}) are known inside them")
    func probes() throws {
        // setup
        let yaml = LabFixture.lab(
            steps: """
                      - name: at once
                        probe: concurrent
                        with:
                          count: 5
                          request: {method: POST, path: /things, json: {title: "t ${i}"}}
                          expect: {status: 201}
                          distinct: $.id
                      - name: cached
                        probe: latency
                        with:
                          request: {method: GET, path: /slow}
                          repeat: 4
                          max_ratio: 0.5
                      - name: callback
                        probe: webhook
                        with:
                          request: {method: POST, path: /subscribe, json: {url: "${webhook_url}"}}
                          call: {method: post, json: [{path: $.event, equals: created}]}
                          within_ms: 2000
                      - name: limited
                        probe: burst
                        with:
                          request: {method: GET, path: /limited}
                          max_requests: 20
                          retry_after: true
                """)
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.problems == [])
        let probes = try #require(result.lab?.stages.first?.steps).compactMap { step -> Probe? in
            if case .probe(let probe) = step.action { probe } else { nil }
        }
        #expect(probes.map(\.name) == ["concurrent", "latency", "webhook", "burst"])
        if case .webhook(_, let call, let within) = probes[2] {
            #expect(call.method == "POST")
            #expect(within == 2000)
        }
        #expect(probes[0].summary == "5 × POST /things at once, every $.id different")
    }

    @Test("a restart step needs no parameters, and marks its stage as one that restarts the server")
    func restartProbe() throws {
        // setup
        let yaml = LabFixture.lab(
            steps: LabFixture.defaultSteps + """

                      - name: again
                        probe: restart
                """)
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.problems == [])
        let stage = try #require(result.lab?.stages.first)
        #expect(stage.restartsTarget)
        #expect(stage.steps.last?.summary == "probe restart: your server is stopped and started again (only with groundwork check --run)")
        #expect(try #require(LabFixture.check(LabFixture.lab()).lab?.stages.first).restartsTarget == false)
    }

    @Test("the shipped labs load without a problem, verify topics that exist, and have briefs")
    func shippedLabs() throws {
        // setup
        let root = LabFixture.repositoryRoot
        let topics = ContentLoader(contentDirectory: root.appendingPathComponent("Content"), sourceRoot: root).check().roadmap.topics.map(\.id)
        let loader = LabLoader(directory: root.appendingPathComponent("Content/labs"), knownTopics: Set(topics))
        // MUT
        let result = loader.check()
        // validate
        #expect(result.problems.map(\.description) == [])
        #expect(result.labs.count >= 13)
        #expect(
            Set(result.labs.map(\.id)).isSuperset(of: [
                "http-basics", "rest-json", "caching", "auth-security", "data-integrity",
                "async-jobs", "reverse-proxy", "timestamp", "whoami", "url-shortener",
                "exercise-tracker", "file-metadata", "blog-api",
            ]))
        for lab in result.labs {
            #expect(lab.brief.contains("## Stage 1"), "the brief of \(lab.id) walks through the stages")
            #expect(lab.stages.count >= 3, "\(lab.id) is built up in stages")
        }
    }

    @Test("loading an unknown lab lists the labs that exist")
    func unknownLab() throws {
        // setup
        let loader = LabLoader(directory: LabFixture.repositoryRoot.appendingPathComponent("Content/labs"))
        // MUT
        let error = #expect(throws: InvalidLab.self) { try loader.load(id: "nope") }
        // validate
        let message = try #require(error?.problems.first?.message)
        #expect(message.hasPrefix("there is no lab 'nope' (labs are: api-testing, async-jobs, auth-security, blog-api, caching,"))
        #expect(message.contains("http-basics, rest-json"))
    }

    @Test("a stage is found by number or by id")
    func stageLookup() throws {
        // setup
        let lab = try #require(LabFixture.check(LabFixture.lab()).lab)
        // MUT / validate
        #expect(lab.stageNumber(for: "1") == 1)
        #expect(lab.stageNumber(for: "create") == 1)
        #expect(lab.stageNumber(for: "2") == nil)
        #expect(lab.stageNumber(for: "nothing") == nil)
    }
}
