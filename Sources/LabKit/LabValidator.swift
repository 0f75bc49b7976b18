import ContentKit
import Yams

/// The rules a lab must follow beyond the shape of its fields: its id matches its file, stage ids
/// are unique, the brief exists and says enough, and the topics it verifies exist.
struct LabValidator {
    let path: String
    let briefPath: String
    let knownTopics: Set<String>?

    static let minimumBriefWords = 150

    func validate(root: Node, fileID: String, brief: String) -> [ContentProblem] {
        var problems: [ContentProblem] = []
        func report(_ node: Node?, _ message: String) {
            problems.append(ContentProblem(path: path, line: node?.mark?.line ?? 1, message: message))
        }

        if let id = root["id"]?.string {
            if !id.isStableID {
                report(root["id"], "id '\(id)' must be lowercase letters, digits and dashes")
            } else if id != fileID {
                report(root["id"], "id '\(id)' does not match the file name: rename the file to \(id).yaml or the id to \(fileID)")
            }
        }

        var firstLine: [String: Int] = [:]
        for stage in root["stages"]?.sequence ?? [] {
            guard let id = stage["id"]?.string else { continue }
            let line = stage.mark?.line ?? 1
            if let first = firstLine[id] {
                report(stage, "duplicate stage id '\(id)' (first at line \(first))")
            }
            firstLine[id] = firstLine[id] ?? line
        }

        if let knownTopics {
            for topic in root["topics"]?.sequence ?? [] {
                if let id = topic.string, !knownTopics.contains(id) {
                    report(topic, "unknown topic '\(id)': a lab verifies topics of the roadmap, so name an id from Content/topics")
                }
            }
        }

        let words = brief.unicodeScalars.split(whereSeparator: \.properties.isWhitespace).count
        if brief.isEmpty {
            problems.append(
                ContentProblem(
                    path: briefPath, line: 1,
                    message: "the brief is missing: write \(fileID).md (what to build, stage by stage, and how each stage is tested)"))
        } else if words < Self.minimumBriefWords {
            problems.append(
                ContentProblem(
                    path: briefPath, line: 1,
                    message:
                        "the brief has \(words) words: it needs at least \(Self.minimumBriefWords) to say what to build and how each stage is tested")
            )
        }
        return problems
    }
}
