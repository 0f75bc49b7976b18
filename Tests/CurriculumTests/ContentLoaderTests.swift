import Curriculum
import Foundation
import Testing

/// What `groundwork content check` and the server's start-up report for good and broken content.
@Suite("Content loading and validation")
struct ContentLoaderTests {
    /// Loads the fixture and returns its problems as `path:line: message` strings.
    private func problems(_ fixture: ContentFixture, options: ContentValidator.Options = .init()) -> [String] {
        ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).check(options: options).problems.map { problem in
            // Paths are shown relative to the fixture's content folder.
            "\(problem.path.components(separatedBy: "/Content/").last ?? problem.path):\(problem.line): \(problem.message)"
        }
    }

    private func validFixture() throws -> ContentFixture {
        let fixture = try ContentFixture()
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http"))
        try fixture.write("topics/advanced/caching.md", ContentFixture.topic(id: "caching", stage: "advanced"))
        try fixture.publish(["http", "caching"])
        return fixture
    }

    @Test("valid content loads into ordered stages with rendered lessons and no problems")
    func validContentLoads() throws {
        // setup
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/git.md", ContentFixture.topic(id: "git", order: 5))
        try fixture.publish(["http", "caching", "git"])
        // MUT
        let roadmap = try ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).loadRoadmap()
        // validate
        #expect(roadmap.stages.map(\.id) == ["basics", "advanced"])
        #expect(roadmap.stages[0].topics.map(\.id) == ["git", "http"])
        let http = try #require(roadmap.topic(id: "http"))
        #expect(http.lessonHTML.contains("<h2>What it is</h2>"))
        #expect(http.quiz.count == 5)
        #expect(http.resources.first?.kind == .spec)
    }

    @Test("a file without an id is reported at its front matter, and the id must be well-formed")
    func missingAndMalformedID() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/noid.md", ContentFixture.topic(id: "x").replacingOccurrences(of: "id: x\n", with: ""))
        try fixture.write("topics/basics/bad.md", ContentFixture.topic(id: "Bad_ID"))
        try fixture.publish(["http", "caching", "Bad_ID"])
        let found = problems(fixture)
        #expect(found.contains("topics/basics/noid.md:2: missing field 'id'"))
        #expect(found.contains("topics/basics/bad.md:2: id 'Bad_ID' must be lowercase letters, digits and dashes"))
    }

    @Test("a duplicate id names the file that already uses it")
    func duplicateID() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http-again.md", ContentFixture.topic(id: "http", prompts: (1...5).map { "Other \($0)?" }))
        let found = problems(fixture)
        #expect(
            found.contains {
                $0.hasPrefix("topics/basics/http.md:2: duplicate id 'http'") || $0.hasPrefix("topics/basics/http-again.md:2: duplicate id 'http'")
            })
    }

    @Test("an unknown stage lists the stages that exist")
    func unknownStage() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/x.md", ContentFixture.topic(id: "x", stage: "expert", prompts: (1...5).map { "X \($0)?" }))
        try fixture.publish(["http", "caching", "x"])
        #expect(problems(fixture) == ["topics/basics/x.md:4: unknown stage 'expert' (stages are: advanced, basics)"])
    }

    @Test("broken YAML in the front matter is reported at the line where it breaks")
    func brokenFrontMatter() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/broken.md", "---\nid: broken\ntitle: [unclosed\nstage: basics\n---\nbody\n")
        let found = problems(fixture)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("topics/basics/broken.md:") == true)
        #expect(found.first?.contains("front matter is not valid YAML") == true)
        let line = Int(found.first?.split(separator: ":")[1] ?? "") ?? 0
        #expect((3...5).contains(line))
    }

    @Test("front matter that is never closed, or missing, is explained")
    func unclosedFrontMatter() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/open.md", "---\nid: open\n")
        try fixture.write("topics/basics/none.md", "# Just markdown\n")
        let found = problems(fixture)
        #expect(found.contains("topics/basics/open.md:1: front matter is not closed: add a line '---' after it"))
        #expect(found.contains("topics/basics/none.md:1: front matter missing: the file must start with a line '---'"))
    }

    @Test("resource URLs must be well-formed https", arguments: ["http://example.org/x", "https://", "not a url", "https://localhost/x"])
    func badURL(url: String) throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", url: url))
        #expect(problems(fixture) == ["topics/basics/http.md:10: resource URL '\(url)' is not a well-formed https:// URL"])
    }

    @Test("an answer index outside the choices is reported at its question")
    func answerOutOfRange() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", answer: "[0, 2]"))
        let found = problems(fixture)
        #expect(found.count == 5)
        #expect(found.first?.contains("answer 2 is out of range (choices are numbered 0 to 1)") == true)
    }

    @Test("the same question twice is flagged, even in another topic")
    func duplicateQuestions() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write(
            "topics/advanced/caching.md",
            ContentFixture.topic(
                id: "caching", stage: "advanced",
                prompts: [
                    "Question 1 about http?", "C2?", "C3?", "C4?", "C5?",
                ]))
        let found = problems(fixture)
        #expect(found.count == 1)
        #expect(found.first?.contains("duplicate question") == true)
    }

    @Test("seen_in must name a file that exists in the source")
    func seenInMustExist() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", seenIn: "Sources/Gone.swift"))
        #expect(problems(fixture) == ["topics/basics/http.md:18: seen_in path 'Sources/Gone.swift' does not exist in Groundwork's source"])
    }

    @Test("without a source root (the server's start), seen_in paths are not checked: an installation ships no Sources/")
    func seenInNotCheckedWithoutSource() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", seenIn: "Sources/Gone.swift"))
        let roadmap = try ContentLoader(contentDirectory: fixture.content, sourceRoot: nil).loadRoadmap()
        #expect(roadmap.topic(id: "http")?.seenIn == ["Sources/Gone.swift"])
    }

    @Test("a published id whose topic file disappeared is an error: progress is keyed by it")
    func publishedIDRemoved() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.publish(["http", "caching", "old-topic"])
        #expect(problems(fixture).contains { $0.hasPrefix("published-ids.txt:3: published topic id 'old-topic' has no file any more") })
    }

    @Test("a new topic id must be added to published-ids.txt")
    func newIDMustBePublished() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.publish(["http"])
        #expect(
            problems(fixture) == [
                "topics/advanced/caching.md:2: new topic id 'caching': add it to published-ids.txt (ids listed there are kept forever)"
            ])
    }

    @Test("lessons must be 400 to 1200 words", arguments: [(120, false), (450, true), (1500, false)])
    func lessonLength(words: Int, accepted: Bool) throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", words: words))
        let found = problems(fixture)
        #expect(found.isEmpty == accepted)
        if !accepted { #expect(found.first?.contains("the lesson has \(words + 4) words") == true) }
    }

    @Test("inline code that wraps onto the next line is reported at the line it opens")
    func wrappedInlineCode() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        let text = ContentFixture.topic(id: "http") + "\n\nCall `open(path,\nmode)` first.\n\n```\nnot `checked\n```\n"
        try fixture.write("topics/basics/http.md", text)
        let found = problems(fixture)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("Call `open") }! + 1
        #expect(
            found == [
                "topics/basics/http.md:\(line): inline code is split across two lines: keep each `code` span on one line (Markdown renders a wrapped span wrongly)"
            ])
    }

    @Test("a stage without topics is reported at its line in roadmap.yaml")
    func emptyStage() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(at: fixture.content.appendingPathComponent("topics/advanced/caching.md"))
        try fixture.publish(["http"])
        #expect(problems(fixture) == ["roadmap.yaml:5: stage 'advanced' has no topics"])
    }

    @Test("labs must exist unless missing labs are allowed")
    func labsMustExist() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", extra: "labs: [http-basics]"))
        #expect(problems(fixture, options: .init(knownLabs: [])).contains { $0.contains("unknown lab 'http-basics'") })
        #expect(problems(fixture, options: .init(knownLabs: nil)).isEmpty)
        #expect(problems(fixture, options: .init(knownLabs: ["http-basics"])).isEmpty)
    }

    @Test("question kinds: a list of answers is multiple-answer; True/False choices are true/false")
    func questionKinds() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        let text = ContentFixture.topic(id: "http", answer: "[0, 1]")
            .replacingOccurrences(of: "text: \"A\"", with: "text: \"True\"")
            .replacingOccurrences(of: "text: \"B\"", with: "text: \"False\"")
        try fixture.write("topics/basics/http.md", text)
        let roadmap = try ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).loadRoadmap()
        let question = try #require(roadmap.topic(id: "http")?.quiz.first)
        #expect(question.allowsMultipleAnswers)
        #expect(question.isTrueFalse)
    }

    @Test("loadRoadmap throws every problem at once, so the server can refuse to start with all of them")
    func loadRoadmapThrowsAll() throws {
        let fixture = try validFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/x.md", ContentFixture.topic(id: "x", stage: "nowhere", prompts: (1...5).map { "Y \($0)?" }, url: "ftp://x"))
        try fixture.publish(["http", "caching", "x"])
        let error = #expect(throws: InvalidContent.self) {
            _ = try ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).loadRoadmap()
        }
        #expect(error?.problems.count == 2)
    }
}

/// A misspelt key used to pass silently in topic files while labs and exercises reported it.
@Suite("Unknown keys in topic files")
struct UnknownTopicKeyTests {
    @Test("a misspelt key in a topic's front matter, a resource, a question or a choice is reported at its line")
    func misspeltKeys() throws {
        let fixture = try ContentFixture()
        defer { fixture.remove() }
        let topic = ContentFixture.topic(id: "http")
            .replacingOccurrences(of: "seen_in:", with: "seen-in:")
            .replacingOccurrences(of: "    title: RFC 9110", with: "    titel: RFC 9110")
            .replacingOccurrences(
                of: "  - prompt: \"Question 1 about http?\"", with: "  - prompt: \"Question 1 about http?\"\n    explanation: extra")
        try fixture.write("topics/basics/http.md", topic)
        try fixture.publish(["http"])
        let lines = topic.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of text: String) -> Int { (lines.firstIndex { $0.contains(text) } ?? -1) + 1 }
        // MUT
        let found: [String]
        do {
            _ = try ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).loadRoadmap()
            found = []
        } catch {
            found = error.problems.map { $0.description.replacingOccurrences(of: fixture.content.path + "/", with: "") }
        }
        // validate
        #expect(found.contains { $0.hasPrefix("topics/basics/http.md:\(line(of: "seen-in:")): unknown field 'seen-in'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("topics/basics/http.md:\(line(of: "titel:")): resource 1: unknown field 'titel'") }, "\(found)")
        #expect(
            found.contains { $0.hasPrefix("topics/basics/http.md:\(line(of: "explanation:")): question 1: unknown field 'explanation'") },
            "\(found)")
    }
}
