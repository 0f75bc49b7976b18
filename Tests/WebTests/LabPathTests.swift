import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabKit
import Storage
import TestSupport
import Testing
import Web

/// Labs along the path: listed in the order of the roadmap topics they verify, each with how hard
/// and how long, a place to start; a lab page leads with its brief; team mode's form is not
/// pre-filled with an address the server refuses.
@Suite("Labs along the path")
struct LabPathTests {
    @Test("the labs page lists labs in learning order, HTTP basics first and marked 'start here', each with difficulty and time")
    func learningOrder() async throws {
        let roadmap = try TestApp.roadmap()
        let positions = Dictionary(uniqueKeysWithValues: roadmap.topics.enumerated().map { ($1.id, $0) })
        let labs = try LabLoader(directory: LabPagesTests.labsDirectory).check().labs
        try await LabPagesTests.app { client, _ in
            // MUT
            let html = try await client.execute(uri: "/labs", method: .get).text
            // validate
            let shown = html.matches(of: /<h2><a href="\/labs\/([a-z0-9-]+)">/).map { String($0.output.1) }
            #expect(Set(shown) == Set(labs.map(\.id)))
            #expect(shown.first == "http-basics")
            let places = shown.map { id in labs.first { $0.id == id }!.topics.compactMap { positions[$0] }.max()! }
            #expect(places == places.sorted(), "each lab comes after the labs whose topics come earlier on the roadmap")
            #expect(html.components(separatedBy: "<strong>Start here</strong>").count == 2)
            let startCard = try #require(html.range(of: #"<li class="lab-card result-untried start-here">"#))
            let firstLink = try #require(html.range(of: #"<a href="/labs/http-basics">"#))
            #expect(startCard.lowerBound < firstLink.lowerBound)
            #expect(html.contains(#"<span class="effort">Beginner · about 1 h</span>"#))
            for lab in labs {
                #expect(lab.difficulty != nil && lab.minutes != nil, "\(lab.id) says how hard and how long")
            }
            #expect(html.components(separatedBy: #"<span class="effort">"#).count - 1 == labs.count)
        }
    }

    @Test("a lab page puts the brief first and the run history below it, collapsed; the header shows the best result")
    func briefBeforeHistory() async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app { client, _ in
            // setup
            #expect(try await LabRunAPITests.upload(client, report).status == .created)
            // MUT
            let html = try await client.execute(uri: "/labs/http-basics", method: .get).text
            // validate
            #expect(html.contains(#"<span class="badge result-passed">Passed</span></h1>"#))
            let brief = try #require(html.range(of: #"<section class="lesson brief""#))
            let history = try #require(html.range(of: #"<section class="history""#))
            #expect(brief.lowerBound < history.lowerBound)
            #expect(html.contains("<summary>1 run, the latest passed — show them</summary>"))
            #expect(!html.contains("<details open"))
        }
    }

    @Test("team mode: the run form is empty rather than pre-filled with 127.0.0.1, and a refusal shows its command as code")
    func teamModeForm() async throws {
        try await LabPagesTests.app(.team) { client, _ in
            // setup
            let (_, jar) = try await TeamModeTests.signUp(client)
            // MUT
            let page = try await client.execute(uri: "/labs/http-basics", method: .get, headers: [.cookie: jar.header]).text
            let refused = try await LabPagesTests.submitRun(client, lab: "http-basics", target: "http://127.0.0.1:3000", jar: jar)
            // validate
            #expect(page.contains(#"name="target" type="url" required value="" placeholder="https://your-server.example.org""#))
            #expect(!page.contains(#"value="http://127.0.0.1:3000""#))
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("<code>groundwork check http-basics --target http://127.0.0.1:3000 --upload</code>"))
            let alert = try #require(refused.text.firstMatch(of: /<p class="alert" role="alert">(.*?)<\/p>/)?.output.1)
            #expect(!alert.contains("`"))
        }
    }
}
