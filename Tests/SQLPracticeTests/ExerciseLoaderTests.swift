import Foundation
import SQLPractice
import Testing

/// What the exercise loader reports for broken files: every problem, as `path:line: message`.
@Suite("SQL exercise files")
struct ExerciseLoaderTests {
    /// A folder of exercise files; the problems of loading it, as text.
    static func problems(_ files: [String: String], knownTopics: Set<String>? = ["sql"]) throws -> [String] {
        let folder = PracticeFixture.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files {
            try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let prefix = folder.standardizedFileURL.path + "/"
        return ExerciseLoader(directory: folder, knownTopics: knownTopics).check().problems.map {
            $0.description.replacingOccurrences(of: prefix, with: "")
        }
    }

    /// A file with one valid exercise; `extra` lines are added to it.
    static func file(difficulty: String = "beginner", id: String = "demo", extra: String = "") -> String {
        """
        theme: Demo
        difficulty: \(difficulty)
        exercises:
          - id: \(id)
            title: Demo
            topics: [sql]
            prompt: List the warehouses.
            hints: [Use SELECT.]
            ordered: false
            reference: SELECT name FROM warehouses
            explanation: That is all.
        \(extra)
        """
    }

    @Test("a valid file has no problems, and its exercises are numbered across files in name order")
    func valid() throws {
        // setup
        let folder = PracticeFixture.temporaryFolder()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.file(difficulty: "intermediate", id: "second").write(
            to: folder.appendingPathComponent("02-b.yaml"), atomically: true, encoding: .utf8)
        try Self.file(id: "first").write(to: folder.appendingPathComponent("01-a.yaml"), atomically: true, encoding: .utf8)
        // MUT
        let exercises = try ExerciseLoader(directory: folder).load()
        // validate
        #expect(exercises.map(\.id) == ["first", "second"])
        #expect(exercises.map(\.number) == [1, 2])
        #expect(exercises[0].line == 4)
    }

    @Test("an unknown field (a typo) is reported with the fields that exist")
    func unknownField() throws {
        // MUT
        let problems = try Self.problems(["01.yaml": Self.file(extra: "    hint: typo")])
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("01.yaml:12: exercise 'demo': unknown field 'hint' (known fields: id, title,") == true)
    }

    @Test("missing fields are named at the exercise that lacks them")
    func missingFields() throws {
        // setup
        let text = Self.file().replacingOccurrences(of: "    reference: SELECT name FROM warehouses\n", with: "")
            .replacingOccurrences(of: "    ordered: false\n", with: "")
        // MUT
        let problems = try Self.problems(["01.yaml": text])
        // validate
        #expect(
            problems == [
                "01.yaml:4: exercise 'demo': missing field 'reference'", "01.yaml:4: exercise 'demo': missing field 'ordered' (true or false)",
            ])
    }

    @Test("a file easier than the one before it is reported: numbers run easiest first")
    func difficultyOrder() throws {
        // MUT
        let problems = try Self.problems(["01.yaml": Self.file(difficulty: "advanced", id: "a"), "02.yaml": Self.file(id: "b")])
        // validate
        #expect(
            problems == [
                "02.yaml:2: difficulty 'beginner' comes after 01.yaml, which is 'advanced': exercises are numbered in file-name order, easiest first, so rename the file to sort earlier"
            ])
    }

    @Test("a duplicate id, an unknown topic and a wrong number of hints are each reported")
    func duplicatesTopicsHints() throws {
        // setup: 02 names a topic the roadmap lacks and has three hints; 03 reuses 01's id
        let second = Self.file(id: "other").replacingOccurrences(of: "topics: [sql]", with: "topics: [sequel]")
            .replacingOccurrences(of: "hints: [Use SELECT.]", with: "hints: [One, Two, Three]")
        // MUT
        let problems = try Self.problems(["01.yaml": Self.file(), "02.yaml": second, "03.yaml": Self.file()])
        // validate
        #expect(
            problems.sorted() == [
                "02.yaml:4: exercise 'other': unknown topic 'sequel' (topic ids are the names of the files in Content/topics)",
                "02.yaml:8: exercise 'other': give one or two hints under 'hints:'",
                "03.yaml:4: duplicate exercise id 'demo': 01.yaml already uses it",
            ])
    }

    @Test("kind-specific fields: a change needs its check query; a plan field on a query is reported")
    func kinds() throws {
        // setup
        let change = Self.file(extra: "    kind: change")
        let query = Self.file(extra: "    plan_query: SELECT 1")
        let topic = Self.file(id: "other").replacingOccurrences(of: "topics: [sql]", with: "topics: [sequel]")
        // MUT
        let problems = try Self.problems(["01.yaml": change, "02.yaml": query, "03.yaml": topic])
        // validate
        #expect(
            problems == [
                "01.yaml:4: exercise 'demo': missing field 'check'",
                "02.yaml:12: exercise 'demo': 'plan_query' only applies to kind: plan",
                "02.yaml:4: duplicate exercise id 'demo': 01.yaml already uses it",
                "03.yaml:4: exercise 'other': unknown topic 'sequel' (topic ids are the names of the files in Content/topics)",
            ])
    }

    @Test("broken YAML is reported at the line where it breaks")
    func brokenYAML() throws {
        // MUT
        let problems = try Self.problems(["01.yaml": "theme: Demo\ndifficulty: [beginner\nexercises: []\n"])
        // validate
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("01.yaml:3: not valid YAML") == true || problems.first?.hasPrefix("01.yaml:2: not valid YAML") == true)
    }
}
