import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import NIOCore
import Storage
import TestSupport
import Testing

@testable import Web

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The roadmap as a diagram and as progress that means something: "pick one" groups count once,
/// the time left comes from the estimates, each node shows its state in words, an icon and a
/// colour, the diagram downloads as SVG, and the page goes out gzipped.
@Suite("The roadmap diagram and progress")
struct RoadmapDiagramTests {
    static func put(_ client: any TestClientProtocol, _ topic: String, _ state: String) async throws {
        let put = try await client.execute(
            uri: "/api/v1/progress/\(topic)", method: .put, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"state":"\#(state)"}"#))
        #expect(put.status == .ok)
    }

    static func overallLabel(_ html: String) -> String? {
        html.firstMatch(of: /<label for="overall-progress">([^<]*)<\/label>/).map { String($0.1) }
    }

    @Test("one language done counts the whole group once, and the next step is not another language")
    func groupCountsOnce() async throws {
        let roadmap = try TestApp.roadmap()
        let languages = try #require(roadmap.group(id: "server-languages"))
        try await TestApp.test { client, _ in
            try await Self.put(client, "programming-fundamentals", "done")
            // MUT
            try await Self.put(client, "language-python", "done")
            // validate
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(Self.overallLabel(html)?.hasPrefix("Overall: 2 of 64 steps done") == true)
            #expect(html.contains("Pick one: A server language · done ✓"))
            #expect(html.contains(#"<a href="/topics/language-python" class="node s-done" aria-label="Python: done">"#))
            #expect(html.contains(#"<a href="/topics/language-php" class="node s-todo" aria-label="PHP: to do">"#))
            let card = try #require(html.firstMatch(of: /<section class="continue"[\s\S]*?<\/section>/)).0
            for other in languages.topicIDs where other != "language-python" {
                #expect(!card.contains("/topics/\(other)\""), "a second language is not the next step")
            }
            let api = try await client.execute(uri: "/api/v1/roadmap", method: .get)
            let progress = try #require(try api.json()["progress"] as? [String: Any])
            #expect(progress["done"] as? Int == 2 && progress["total"] as? Int == 64)
        }
    }

    @Test("the time left adds up the estimates of what is still open, a group by its shortest topic")
    func timeLeft() async throws {
        let roadmap = try TestApp.roadmap()
        var expected = 0
        var counted = Set<String>()
        for topic in roadmap.topics {
            if let group = roadmap.group(of: topic.id) {
                guard counted.insert(group.id).inserted else { continue }
                expected += group.topicIDs.compactMap { roadmap.topic(id: $0)?.estimateMinutes }.min() ?? 0
            } else {
                expected += topic.estimateMinutes ?? 0
            }
        }
        let http = try #require(roadmap.topic(id: "http")?.estimateMinutes)
        let total = expected
        try await TestApp.test { client, _ in
            let before = try await client.execute(uri: "/", method: .get).text
            #expect(before.contains("Time left: \(Estimate.label(minutes: total)) left."))
            // MUT
            try await Self.put(client, "http", "done")
            // validate
            let after = try await client.execute(uri: "/", method: .get).text
            #expect(after.contains("Time left: \(Estimate.label(minutes: total - http)) left."))
        }
    }

    @Test("every topic is a node in both drawings, with its state in words and arrows for requirements; skipped and learning look different")
    func diagramNodes() async throws {
        let roadmap = try TestApp.roadmap()
        try await TestApp.test { client, _ in
            try await Self.put(client, "git", "skipped")
            try await Self.put(client, "http", "learning")
            let html = try await client.execute(uri: "/", method: .get).text
            let diagram = try #require(html.firstMatch(of: /<section class="diagram"[\s\S]*?<\/section>/)).0
            #expect(diagram.matches(of: /<figure class="diagram-stage">/).count == roadmap.stages.count)
            #expect(diagram.matches(of: /<svg class="wide"/).count == roadmap.stages.count)
            #expect(diagram.matches(of: /<svg class="narrow"/).count == roadmap.stages.count)
            for topic in roadmap.topics {
                #expect(diagram.components(separatedBy: "<a href=\"/topics/\(topic.id)\" class=\"node ").count == 3, "\(topic.id) drawn twice")
            }
            #expect(diagram.contains(#"class="node s-skipped" aria-label="Git: skipped""#))
            #expect(diagram.contains(#"class="node s-learning" aria-label="HTTP: learning""#))
            #expect(diagram.contains("<title>SQL: to do. Learn first: Relational databases</title>"))
            #expect(diagram.contains(#"<path class="head""#), "requirements are drawn as arrows")
            for look in RoadmapDiagram.Look.allCases {
                #expect(diagram.contains(RoadmapDiagram.icon(look)), "the legend shows the \(look) icon")
            }
            #expect(!html.contains("\u{1}"), "every slot was filled")
            // The card list stays, after the diagram.
            let list = try #require(html.range(of: #"<ol class="stages">"#))
            #expect(try #require(html.range(of: #"<section class="diagram""#)).lowerBound < list.lowerBound)
        }
    }

    @Test("a topic verified by a passed lab is drawn verified")
    func verifiedNode() async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app(on: .sqlite) { client, _ in
            #expect(try await LabRunAPITests.upload(client, report).status == .created)
            let html = try await client.execute(uri: "/", method: .get).text
            #expect(html.contains(#"<a href="/topics/http" class="node s-verified" aria-label="HTTP: done and verified by a lab">"#))
        }
    }

    @Test("the diagram downloads as an SVG file that parses, with the learner's states and its own styles")
    func download() async throws {
        let roadmap = try TestApp.roadmap()
        try await TestApp.test { client, _ in
            try await Self.put(client, "http", "done")
            // MUT
            let response = try await client.execute(uri: "/roadmap.svg", method: .get)
            // validate
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/svg+xml; charset=utf-8")
            #expect(response.headers[.contentDisposition]?.contains("attachment; filename=\"groundwork-roadmap.svg\"") == true)
            let svg = response.text
            #expect(XMLParser(data: Data(svg.utf8)).parse(), "the file is well-formed XML")
            #expect(svg.contains("<style>"))
            #expect(svg.contains(#"class="node s-done" aria-label="HTTP: done""#))
            for topic in roadmap.topics { #expect(svg.contains("href=\"/topics/\(topic.id)\"")) }
            #expect(!svg.contains("\u{1}"))
        }
    }

    @Test("the home page goes out gzipped when accepted, the same page as uncompressed, under 60 kB; styles too; never when refused")
    func compression() async throws {
        try await TestApp.test { client, _ in
            let plain = try await client.execute(uri: "/", method: .get)
            // MUT
            let zipped = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
            // validate
            #expect(plain.headers[.contentEncoding] == nil)
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.body.readableBytes < 60 * 1024)
            #expect(zipped.body.readableBytes < plain.body.readableBytes / 3)
            let unzipped = try Self.gunzip(zipped.body)
            let token = /name="_csrf" value="[^"]*"/
            #expect(unzipped.replacing(token, with: "") == plain.text.replacing(token, with: ""))

            let css = try await client.execute(uri: "/css/groundwork.css", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(css.headers[.contentEncoding] == "gzip")
            #expect(css.headers[.vary]?.contains("Accept-Encoding") == true)
            let file = try String(contentsOf: TestApp.repositoryRoot.appendingPathComponent("Public/css/groundwork.css"), encoding: .utf8)
            #expect(try Self.gunzip(css.body) == file)

            for refused in ["gzip;q=0", "br", "identity", "x" + String(repeating: ",", count: 5000)] {
                let response = try await client.execute(uri: "/", method: .get, headers: [.acceptEncoding: refused])
                #expect(response.status == .ok)
                #expect(response.headers[.contentEncoding] == nil, "\(refused.prefix(20))")
            }
            let api = try await client.execute(uri: "/api/v1/roadmap", method: .get, headers: [.acceptEncoding: "gzip"])
            #expect(api.headers[.contentEncoding] == nil, "JSON is left as it is")
        }
    }

    @Test("Accept-Encoding is read as the standard says")
    func acceptEncoding() {
        #expect(Gzip.accepted("gzip"))
        #expect(Gzip.accepted("deflate, gzip;q=0.5"))
        #expect(Gzip.accepted("*"))
        #expect(!Gzip.accepted("gzip;q=0"))
        #expect(!Gzip.accepted("gzip; q=0.0"))
        #expect(!Gzip.accepted("br"))
        #expect(!Gzip.accepted(nil))
    }

    /// Decompresses with the system's gzip, a decoder independent of the one that compressed.
    static func gunzip(_ body: ByteBuffer) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("gw-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(body.readableBytesView).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "gzip -t accepts the stream")
        return String(decoding: data, as: UTF8.self)
    }
}
