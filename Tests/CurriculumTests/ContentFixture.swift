import Foundation

/// A throwaway content folder built file by file, so each test shows exactly what is broken.
struct ContentFixture {
    let root: URL
    var content: URL { root.appendingPathComponent("Content") }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-content-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Content/topics"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("Sources"), withIntermediateDirectories: true)
        try write("Sources/Real.swift", "// exists so seen_in can point at it\n", inContent: false)
        try write(
            "roadmap.yaml",
            """
            stages:
              - id: basics
                title: Basics
                summary: The start.
              - id: advanced
                title: Advanced
                summary: Later.
            """)
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ text: String, inContent: Bool = true) throws {
        let url = (inContent ? content : root).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func publish(_ ids: [String]) throws {
        try write("published-ids.txt", ids.joined(separator: "\n") + "\n")
    }

    /// A topic file that passes every rule; `frontMatter` lines replace or add fields.
    static func topic(
        id: String, stage: String = "basics", order: Int = 10, words: Int = 450,
        prompts: [String]? = nil, extra: String = "", url: String = "https://www.rfc-editor.org/rfc/rfc9110",
        seenIn: String = "Sources/Real.swift", answer: String = "1"
    ) -> String {
        let questions = (prompts ?? (1...5).map { "Question \($0) about \(id)?" }).map { prompt in
            """
              - prompt: "\(prompt)"
                choices:
                  - text: "A"
                    why: "Because A."
                  - text: "B"
                    why: "Because B."
                answer: \(answer)
            """
        }.joined(separator: "\n")
        return """
            ---
            id: \(id)
            title: Topic \(id)
            stage: \(stage)
            order: \(order)
            summary: About \(id).
            resources:
              - type: spec
                title: RFC 9110
                url: \(url)
              - type: docs
                title: MDN
                url: https://developer.mozilla.org/en-US/docs/Web/HTTP
              - type: article
                title: Another
                url: https://example.org/article
            seen_in:
              - \(seenIn)
            \(extra)
            quiz:
            \(questions)
            ---

            ## What it is

            \(Array(repeating: "word", count: words).joined(separator: " "))
            """
    }
}
