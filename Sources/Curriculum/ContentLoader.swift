import ContentKit
import Foundation
import Ink
import Synchronization
import Yams

/// Reads `Content/` (roadmap.yaml, topics/**/*.md, published-ids.txt) into a ``Roadmap``.
///
/// Loading never stops at the first problem: every file is read, every problem is collected, and
/// ``ContentValidator`` adds the checks that need the whole picture.
public struct ContentLoader: Sendable {
    public let contentDirectory: URL
    /// Where `seen_in` paths are resolved (the repository root), or nil not to check them.
    ///
    /// `groundwork content check` and the tests check them in the checkout; the server does not,
    /// because an installation (the Docker image) ships `Content/` without the source they name.
    public let sourceRoot: URL?

    public init(contentDirectory: URL, sourceRoot: URL?) {
        self.contentDirectory = contentDirectory
        self.sourceRoot = sourceRoot
    }

    /// Loads and validates everything; throws ``InvalidContent`` listing every problem.
    public func loadRoadmap(options: ContentValidator.Options = .init()) throws(InvalidContent) -> Roadmap {
        let result = check(options: options)
        guard result.problems.isEmpty else { throw InvalidContent(problems: result.problems) }
        return result.roadmap
    }

    /// Loads what can be loaded and reports every problem found, in file order.
    public func check(options: ContentValidator.Options = .init()) -> (roadmap: Roadmap, problems: [ContentProblem]) {
        var problems: [ContentProblem] = []
        let (stages, groups) = loadStages(problems: &problems)
        let topics = loadTopics(problems: &problems)
        let published = loadPublishedIDs(problems: &problems)
        let validator = ContentValidator(options: options, sourceRoot: sourceRoot)
        problems += validator.validate(stages: stages, topics: topics, published: published)
        problems += validator.validatePath(stages: stages, groups: groups, topics: topics)

        let knownStages = Set(stages.map(\.stage.id))
        var seen = Set<String>()
        var byStage: [String: [Topic]] = [:]
        for loaded in topics where knownStages.contains(loaded.topic.stageID) && seen.insert(loaded.topic.id).inserted {
            byStage[loaded.topic.stageID, default: []].append(loaded.topic)
        }
        let roadmap = Roadmap(
            stages: stages.map { entry in
                var stage = entry.stage
                stage.topics = (byStage[stage.id] ?? []).sorted { ($0.order, $0.id) < ($1.order, $1.id) }
                return stage
            }, groups: groups.map(\.group))
        let located = problems.map { ContentProblem(path: displayPrefix + $0.path, line: $0.line, message: $0.message) }
        return (roadmap, located.sorted { ($0.path, $0.line) < ($1.path, $1.line) })
    }

    /// Problems name files relative to the working directory when the content lives below it
    /// (`Content/topics/…`), so a path can be pasted straight into an editor.
    private var displayPrefix: String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = contentDirectory.standardizedFileURL.path + "/"
        return full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : full
    }

    // MARK: roadmap.yaml

    struct LoadedStage {
        let stage: Stage
        let line: Int
    }

    struct LoadedGroup {
        let group: TopicGroup
        let line: Int
        /// The line of each member, in order.
        let memberLines: [Int]
    }

    static let roadmapFile = "roadmap.yaml"
    static let publishedFile = "published-ids.txt"

    private func loadStages(problems: inout [ContentProblem]) -> ([LoadedStage], [LoadedGroup]) {
        let path = Self.roadmapFile
        guard let text = read(path, problems: &problems) else { return ([], []) }
        let node: Node
        do {
            guard let parsed = try Yams.compose(yaml: text) else {
                problems.append(ContentProblem(path: path, line: 1, message: "roadmap.yaml is empty: list the stages under 'stages:'"))
                return ([], [])
            }
            node = parsed
        } catch {
            problems.append(ContentProblem(path: path, line: 1, message: "roadmap.yaml is not valid YAML: \(error)"))
            return ([], [])
        }
        var reader = FieldReader(path: path)
        reader.mapping(node, known: ["stages", "groups"])
        let stages = reader.sequence("stages", in: node, required: true).compactMap { item -> LoadedStage? in
            reader.mapping(item, known: ["id", "title", "summary"], context: "stage: ")
            guard let id = reader.string("id", in: item, context: "stage: "),
                let title = reader.string("title", in: item, context: "stage '\(id)': ")
            else { return nil }
            let summary = reader.string("summary", in: item, required: false) ?? ""
            return LoadedStage(stage: Stage(id: id, title: title, summary: summary), line: reader.line(of: item))
        }
        let groups = reader.sequence("groups", in: node).compactMap { item -> LoadedGroup? in
            reader.mapping(item, known: ["id", "title", "topics"], context: "group: ")
            guard let id = reader.string("id", in: item, context: "group: "),
                let title = reader.string("title", in: item, context: "group '\(id)': ")
            else { return nil }
            let members = reader.strings("topics", in: item, context: "group '\(id)': ")
            return LoadedGroup(
                group: TopicGroup(id: id, title: title, topicIDs: members.map(\.value)), line: reader.line(of: item),
                memberLines: members.map(\.line))
        }
        problems += reader.problems
        return (stages, groups)
    }

    // MARK: published-ids.txt

    private func loadPublishedIDs(problems: inout [ContentProblem]) -> [(id: String, line: Int)] {
        guard let text = read(Self.publishedFile, problems: &problems) else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, line in
            let id = line.trimmingCharacters(in: .whitespaces)
            return id.isEmpty || id.hasPrefix("#") ? nil : (id, index + 1)
        }
    }

    // MARK: topics/**/*.md

    private func loadTopics(problems: inout [ContentProblem]) -> [LoadedTopic] {
        let topicsDirectory = contentDirectory.appendingPathComponent("topics")
        guard let enumerator = FileManager.default.enumerator(at: topicsDirectory, includingPropertiesForKeys: nil) else {
            problems.append(ContentProblem(path: "topics", line: 1, message: "the folder topics/ is missing"))
            return []
        }
        let files = enumerator.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "md" }
            .map { "topics/" + $0.path.dropFirst(topicsDirectory.path.count + 1) }
            .sorted()
        // Parsed on every core (start-up waits for this), then gathered in file order.
        let results = Mutex([(topic: LoadedTopic?, problems: [ContentProblem])?](repeating: nil, count: files.count))
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let result = loadTopic(files[index])
            results.withLock { $0[index] = result }
        }
        return results.withLock { $0 }.compactMap { result in
            problems += result?.problems ?? []
            return result?.topic
        }
    }

    private func loadTopic(_ path: String) -> (topic: LoadedTopic?, problems: [ContentProblem]) {
        var problems: [ContentProblem] = []
        guard let text = read(path, problems: &problems) else { return (nil, problems) }
        do throws(ContentProblem) {
            let file = try FrontMatterFile(text: text, path: path)
            var reader = FieldReader(path: path, lineOffset: FrontMatterFile.yamlLineOffset)
            let topic = TopicParser.parse(file, path: path, reader: &reader)
            return (topic, problems + reader.problems)
        } catch {
            return (nil, problems + [error])
        }
    }

    private func read(_ path: String, problems: inout [ContentProblem]) -> String? {
        let url = contentDirectory.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            problems.append(ContentProblem(path: path, line: 1, message: "cannot read \(url.path)"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(ContentProblem(path: path, line: 1, message: "the file is not UTF-8 text"))
            return nil
        }
        return text
    }
}
