import Curriculum
import Foundation
import Testing

/// `requires:` in topic files and the "pick one" groups of roadmap.yaml, as `groundwork content
/// check` reports them.
@Suite("Prerequisites and pick-one groups in content")
struct LearnerPathContentTests {
    private func check(_ fixture: ContentFixture) -> (roadmap: Roadmap, problems: [String]) {
        let result = ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).check()
        let problems = result.problems.map { problem in
            "\(problem.path.components(separatedBy: "/Content/").last ?? problem.path):\(problem.line): \(problem.message)"
        }
        return (result.roadmap, problems)
    }

    private static let roadmapWithGroup = """
        stages:
          - id: basics
            title: Basics
            summary: The start.
          - id: advanced
            title: Advanced
            summary: Later.
        groups:
          - id: languages
            title: A language
            topics: [python, php]
        """

    /// http, python, php (a group), caching (advanced) — each requirement given per topic.
    private func fixture(requires: [String: String], roadmap: String = roadmapWithGroup) throws -> ContentFixture {
        let fixture = try ContentFixture()
        try fixture.write("roadmap.yaml", roadmap)
        let topics = [("http", "basics"), ("python", "basics"), ("php", "basics"), ("caching", "advanced")]
        for (order, (id, stage)) in topics.enumerated() {
            let extra = requires[id].map { "requires: \($0)" } ?? ""
            try fixture.write(
                "topics/\(stage)/\(id).md", ContentFixture.topic(id: id, stage: stage, order: (order + 1) * 10, extra: extra))
        }
        try fixture.publish(topics.map(\.0))
        return fixture
    }

    @Test("valid requirements and groups load: a topic may require a topic or a group")
    func validPath() throws {
        let fixture = try fixture(requires: ["python": "[http]", "caching": "[http, languages]"])
        defer { fixture.remove() }
        let (roadmap, problems) = check(fixture)
        #expect(problems == [])
        #expect(roadmap.topic(id: "caching")?.requires == ["http", "languages"])
        #expect(roadmap.group(of: "php")?.id == "languages")
        #expect(roadmap.group(id: "languages")?.topicIDs == ["python", "php"])
        #expect(roadmap.group(of: "http") == nil)
    }

    @Test("an unknown requirement, a self-requirement and one of a later stage are reported at their line")
    func badRequirements() throws {
        let fixture = try fixture(requires: ["http": "[nope, http, caching]"])
        defer { fixture.remove() }
        let found = check(fixture).problems
        #expect(
            found.contains(
                "topics/basics/http.md:19: requires unknown topic or group 'nope' (use a topic id, or a group id from roadmap.yaml)"))
        #expect(found.contains("topics/basics/http.md:19: a topic cannot require itself"))
        #expect(
            found.contains(
                "topics/basics/http.md:19: requires 'caching' of the later stage 'advanced': a topic can only require what comes in its own stage or before"
            ))
    }

    @Test("a circle of requirements is reported once, naming every step, at the line that closes it")
    func cycle() throws {
        let fixture = try fixture(requires: ["http": "[python]", "python": "[php]", "php": "[http]"])
        defer { fixture.remove() }
        let found = check(fixture).problems.filter { $0.contains("circle") }
        #expect(found == ["topics/basics/php.md:19: requirements go round in a circle: http → python → php → http; remove one of them"])
    }

    @Test("a group member requiring its own group is a circle too")
    func cycleThroughGroup() throws {
        let fixture = try fixture(requires: ["php": "[languages]"])
        defer { fixture.remove() }
        let found = check(fixture).problems.filter { $0.contains("circle") }
        #expect(found.count == 1)
        #expect(found.first?.contains("languages → php → languages") == true || found.first?.contains("php → languages → php") == true)
    }

    @Test("groups: unknown members, too few members, a topic in two groups, mixed stages, an id clash")
    func badGroups() throws {
        let roadmap = """
            stages:
              - id: basics
                title: Basics
                summary: The start.
              - id: advanced
                title: Advanced
                summary: Later.
            groups:
              - id: languages
                title: A language
                topics: [python, ghost]
              - id: more
                title: More
                topics: [python, caching]
              - id: http
                title: Clash
                topics: [php, python]
            """
        let fixture = try fixture(requires: [:], roadmap: roadmap)
        defer { fixture.remove() }
        let found = check(fixture).problems
        #expect(found.contains("roadmap.yaml:11: group 'languages': unknown topic 'ghost'"))
        #expect(found.contains("roadmap.yaml:14: topic 'python' is already in group 'languages': a topic belongs to one group at most"))
        #expect(found.contains("roadmap.yaml:12: group 'more' mixes topics of the stages advanced, basics: a group's topics share one stage"))
        #expect(
            found.contains("roadmap.yaml:15: group id 'http' is also a topic id: give the group another id, so `requires:` can name either"))
    }

    @Test("an estimate must be a number and a unit")
    func estimates() throws {
        let fixture = try fixture(requires: [:])
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", order: 10, extra: "estimate: soon"))
        #expect(check(fixture).problems == ["topics/basics/http.md:19: estimate 'soon' must be a whole number and a unit: 45m, 2h or 3d"])
        #expect(Estimate.minutes("45m") == 45)
        #expect(Estimate.minutes("2h") == 120)
        #expect(Estimate.minutes("3d") == 3 * 8 * 60)
        #expect(Estimate.minutes("-2h") == nil)
        #expect(Estimate.label(minutes: 45) == "about 45 min")
        #expect(Estimate.label(minutes: 150) == "about 3 h")
    }

    @Test("the shipped content declares requirements and groups, and every topic is reachable from a start")
    func shippedContent() throws {
        let content = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Content").standardized
        let roadmap = try ContentLoader(contentDirectory: content, sourceRoot: nil).loadRoadmap()
        #expect(Set(roadmap.groups.map(\.id)).isSuperset(of: ["server-languages", "web-frameworks", "relational-engines", "nosql-engines"]))
        let starts = roadmap.topics.filter(\.requires.isEmpty)
        #expect(!starts.isEmpty && starts.count < 10)
        #expect(roadmap.topics.allSatisfy { $0.estimateMinutes != nil })
    }
}
