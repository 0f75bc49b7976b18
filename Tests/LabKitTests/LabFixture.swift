import Foundation
import LabKit

/// Lab files built as text, so each test shows exactly what is broken.
enum LabFixture {
    /// A brief long enough to pass the validator.
    static let brief = Array(repeating: "word", count: 160).joined(separator: " ")

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A small valid lab; `steps` replaces the steps of its only stage (indented by 6 spaces).
    static func lab(id: String = "demo", random: String = "  title: words(2)", steps: String? = nil) -> String {
        """
        id: \(id)
        title: Demo
        summary: A lab for tests.
        topics: [http]
        random:
        \(random)
        stages:
          - id: create
            title: Create
            goal: POST /things creates a thing.
            hint: Answer 201.
            steps:
        \(steps ?? defaultSteps)
        """
    }

    static let defaultSteps = """
              - name: create
                request:
                  method: POST
                  path: /things
                  json: {title: "${title}"}
                expect:
                  status: 201
                capture:
                  thing_id: {json: $.id}
              - name: read
                request:
                  method: GET
                  path: /things/${thing_id}
                expect:
                  status: 200
        """

    static func check(_ yaml: String, id: String = "demo", brief: String = brief, knownTopics: Set<String>? = nil) -> (lab: Lab?, problems: [String])
    {
        let result = LabLoader.check(yaml: yaml, brief: brief, fileID: id, path: "\(id).yaml", briefPath: "\(id).md", knownTopics: knownTopics)
        return (result.lab, result.problems.map(\.description))
    }
}
