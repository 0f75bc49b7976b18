import LabKit
import Testing

/// Labs that check no HTTP server (`subject: git`, `subject: container`): their `check:` steps
/// are read with their parameters, and every mistake an author can make is reported at its line.
@Suite("Inspection steps in lab files")
struct InspectionParsingTests {
    static func gitLab(steps: String) -> String {
        """
        id: demo
        title: Demo
        summary: A lab for tests.
        subject: git
        topics: [git]
        random:
          word: word
        stages:
          - id: branch
            title: Branch
            goal: A branch is merged.
            hint: Merge it.
            steps:
        \(steps)
        """
    }

    @Test("a git lab's check is read with its seeded parameters, and shows the names of a seed")
    func readsCheck() throws {
        // setup
        let yaml = Self.gitLab(
            steps: """
                      - name: merged
                        check: merged-branch
                        with: {branch: "feature/${word}", into: main}
                """)
        // MUT
        let result = LabFixture.check(yaml)
        // validate
        #expect(result.problems == [])
        let lab = try #require(result.lab)
        #expect(lab.subject == .git)
        guard case .inspect(let inspection) = lab.stages[0].steps[0].action else {
            Issue.record("not read as a check")
            return
        }
        #expect(inspection.kind == .mergedBranch)
        let bindings = lab.bindings(seed: 7)
        let word = try #require(bindings["word"]?.plainText)
        #expect(inspection.text("branch", bindings) == "feature/\(word)")
        #expect(inspection.summary(bindings).contains("[branch: feature/\(word)]"))
    }

    @Test("an HTTP request in a git lab, an unknown check, a check of another subject and a missing parameter are each reported")
    func mistakes() {
        // setup
        let yaml = Self.gitLab(
            steps: """
                      - name: a request
                        check: merged-branch
                        with: {branch: main}
                        request: {method: GET, path: /}
                      - name: typo
                        check: merged-brunch
                      - name: wrong subject
                        check: pinned-base
                      - name: no branch
                        check: rebased-branch
                      - name: unknown value
                        check: deleted-branch
                        with: {branch: "${nope}"}
                """)
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.contains { $0.hasPrefix("demo.yaml:17:") && $0.contains("checks no HTTP server") && $0.contains("'request'") })
        #expect(problems.contains { $0.hasPrefix("demo.yaml:19:") && $0.contains("unknown check 'merged-brunch'") && $0.contains("merged-branch") })
        #expect(problems.contains { $0.hasPrefix("demo.yaml:21:") && $0.contains("inspects a container subject") })
        #expect(problems.contains { $0.hasPrefix("demo.yaml:23:") && $0.contains("missing 'branch' under 'with:'") })
        #expect(problems.contains { $0.hasPrefix("demo.yaml:26:") && $0.contains("${nope} is not defined") })
        #expect(problems.count == 5)
    }

    @Test("an unknown subject is refused with the subjects there are")
    func unknownSubject() {
        // setup
        let yaml = Self.gitLab(steps: "      - name: x\n        check: no-conflict-markers").replacingOccurrences(
            of: "subject: git", with: "subject: svn")
        // MUT
        let problems = LabFixture.check(yaml).problems
        // validate
        #expect(problems.contains("demo.yaml:4: subject 'svn' must be one of: http, git, container, tests"))
    }

    @Test("the shipped git and container labs load, and only their shutdown stage needs a program started with --run")
    func shippedLabs() throws {
        // setup
        let loader = LabLoader(directory: LabFixture.repositoryRoot.appendingPathComponent("Content/labs"))
        // MUT
        let git = try loader.load(id: "git-workflow")
        let container = try loader.load(id: "container")
        // validate
        #expect(git.subject == .git)
        #expect(container.subject == .container)
        #expect(git.stages.allSatisfy { !$0.stopsProgram })
        #expect(container.stages.filter(\.stopsProgram).map(\.id) == ["shutdown"])
    }
}
