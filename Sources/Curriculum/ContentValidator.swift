import ContentKit
import Foundation

/// The rules content must follow, checked across all files at once (ids are unique across the
/// whole roadmap; a published id may never disappear).
public struct ContentValidator: Sendable {
    public struct Options: Sendable {
        /// Lab ids that exist; `nil` skips the check.
        public var knownLabs: Set<String>?
        public var lessonWords: ClosedRange<Int>
        public var resourceCount: ClosedRange<Int>
        public var minimumQuestions: Int

        public init(
            knownLabs: Set<String>? = nil, lessonWords: ClosedRange<Int> = 400...1200,
            resourceCount: ClosedRange<Int> = 3...8, minimumQuestions: Int = 5
        ) {
            self.knownLabs = knownLabs
            self.lessonWords = lessonWords
            self.resourceCount = resourceCount
            self.minimumQuestions = minimumQuestions
        }
    }

    let options: Options
    /// Where `seen_in` paths must exist; nil skips that check (see ``ContentLoader/sourceRoot``).
    let sourceRoot: URL?

    func validate(stages: [ContentLoader.LoadedStage], topics: [LoadedTopic], published: [(id: String, line: Int)]) -> [ContentProblem] {
        var problems: [ContentProblem] = []
        let roadmap = ContentLoader.roadmapFile

        var stageIDs: [String: Int] = [:]
        for entry in stages {
            let id = entry.stage.id
            if id.isStableID == false {
                problems.append(.init(path: roadmap, line: entry.line, message: "stage id '\(id)' must be lowercase letters, digits and dashes"))
            }
            if let first = stageIDs[id] {
                problems.append(.init(path: roadmap, line: entry.line, message: "duplicate stage id '\(id)' (first at line \(first))"))
            }
            stageIDs[id] = stageIDs[id] ?? entry.line
        }
        if stages.isEmpty {
            problems.append(.init(path: roadmap, line: 1, message: "no stages: list them under 'stages:'"))
        }

        var firstFileOfID: [String: String] = [:]
        var firstTopicOfPrompt: [String: String] = [:]
        for loaded in topics {
            problems += validate(loaded, knownStages: stageIDs)
            let topic = loaded.topic
            if let other = firstFileOfID[topic.id] {
                problems.append(.init(path: topic.path, line: loaded.lines.id, message: "duplicate id '\(topic.id)': \(other) already uses it"))
            } else {
                firstFileOfID[topic.id] = topic.path
            }
            for (question, line) in zip(topic.quiz, loaded.lines.quiz) {
                let key = question.prompt.lowercased().filter { $0.isLetter || $0.isNumber }
                if let other = firstTopicOfPrompt[key] {
                    problems.append(.init(path: topic.path, line: line, message: "duplicate question: \(other) asks the same"))
                } else {
                    firstTopicOfPrompt[key] = topic.path
                }
            }
        }

        let usedStages = Set(topics.map(\.topic.stageID))
        for entry in stages where !usedStages.contains(entry.stage.id) {
            problems.append(.init(path: roadmap, line: entry.line, message: "stage '\(entry.stage.id)' has no topics"))
        }

        let publishedIDs = Set(published.map(\.id))
        for entry in published where firstFileOfID[entry.id] == nil {
            problems.append(
                .init(
                    path: ContentLoader.publishedFile, line: entry.line,
                    message:
                        "published topic id '\(entry.id)' has no file any more: learners' progress is keyed by it, so restore the topic (ids are never renamed or removed)"
                ))
        }
        for loaded in topics where !publishedIDs.contains(loaded.topic.id) {
            problems.append(
                .init(
                    path: loaded.topic.path, line: loaded.lines.id,
                    message: "new topic id '\(loaded.topic.id)': add it to \(ContentLoader.publishedFile) (ids listed there are kept forever)"))
        }
        return problems
    }

    private func validate(_ loaded: LoadedTopic, knownStages: [String: Int]) -> [ContentProblem] {
        let topic = loaded.topic
        let lines = loaded.lines
        var problems: [ContentProblem] = []
        func report(_ line: Int, _ message: String) {
            problems.append(.init(path: topic.path, line: line, message: message))
        }

        if topic.id.isStableID == false {
            report(lines.id, "id '\(topic.id)' must be lowercase letters, digits and dashes")
        }
        if knownStages[topic.stageID] == nil {
            report(lines.stage, "unknown stage '\(topic.stageID)' (stages are: \(knownStages.keys.sorted().joined(separator: ", ")))")
        }

        if !options.resourceCount.contains(topic.resources.count) {
            report(
                lines.resourceList,
                "\(topic.resources.count) resources: a topic needs \(options.resourceCount.lowerBound) to \(options.resourceCount.upperBound)")
        }
        for (resource, line) in zip(topic.resources, lines.resources) where !Self.isWellFormedHTTPS(resource.url) {
            report(line, "resource URL '\(resource.url)' is not a well-formed https:// URL")
        }

        if topic.quiz.count < options.minimumQuestions {
            report(lines.body, "\(topic.quiz.count) quiz questions: a topic needs at least \(options.minimumQuestions)")
        }
        for (number, (question, line)) in zip(topic.quiz, lines.quiz).enumerated() {
            if question.choices.count < 2 {
                report(line, "question \(number + 1) needs at least two choices")
            }
            for answer in question.answers where !question.choices.indices.contains(answer) {
                report(line, "question \(number + 1): answer \(answer) is out of range (choices are numbered 0 to \(question.choices.count - 1))")
            }
            if Set(question.answers).count != question.answers.count {
                report(line, "question \(number + 1): an answer index is listed twice")
            }
        }

        if let known = options.knownLabs {
            for (lab, line) in zip(topic.labs, lines.labs) where !known.contains(lab) {
                report(line, "unknown lab '\(lab)' (pass --allow-missing-labs while the lab is still to be written)")
            }
        }
        if let sourceRoot {
            for (path, line) in zip(topic.seenIn, lines.seenIn)
            where !FileManager.default.fileExists(atPath: sourceRoot.appendingPathComponent(path).path) {
                report(line, "seen_in path '\(path)' does not exist in Groundwork's source")
            }
        }

        for line in Self.linesWithWrappedInlineCode(topic.lessonMarkdown) {
            report(
                lines.body + line,
                "inline code is split across two lines: keep each `code` span on one line (Markdown renders a wrapped span wrongly)")
        }

        let words = topic.lessonMarkdown.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).count
        if !options.lessonWords.contains(words) {
            report(lines.body, "the lesson has \(words) words: it needs \(options.lessonWords.lowerBound) to \(options.lessonWords.upperBound)")
        }
        return problems
    }

    /// Offsets (from the body's first line) of lines that open an inline code span without
    /// closing it, outside fenced code blocks.
    static func linesWithWrappedInlineCode(_ markdown: String) -> [Int] {
        var inFence = false
        var spanOpen = false
        var found: [Int] = []
        let backtick = UInt8(ascii: "`")
        for (offset, line) in markdown.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            if line.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }).starts(with: "```".utf8) {
                inFence.toggle()
                continue
            }
            guard !inFence else { continue }
            // Single backticks only: a doubled one opens or closes a ``code`` span of its own.
            var singles = 0
            var index = line.startIndex
            while index < line.endIndex {
                if line[index] == backtick {
                    let next = line.index(after: index)
                    if next < line.endIndex && line[next] == backtick {
                        index = line.index(after: next)
                        continue
                    }
                    singles += 1
                }
                index = line.index(after: index)
            }
            guard singles % 2 == 1 else { continue }
            spanOpen.toggle()
            if spanOpen { found.append(offset) }
        }
        return found
    }

    static func isWellFormedHTTPS(_ text: String) -> Bool {
        guard !text.contains(where: \.isWhitespace),
            let components = URLComponents(string: text),
            components.scheme == "https",
            let host = components.host, host.contains("."),
            !host.hasPrefix("."), !host.hasSuffix(".")
        else { return false }
        return true
    }
}

extension String {
    /// Lowercase letters, digits and single dashes between them: safe in URLs and file names.
    var isStableID: Bool {
        wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil
    }
}
