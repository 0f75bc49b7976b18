import ContentKit
import Foundation
import Synchronization
import Yams

/// Reads `Content/labs/`: one `<id>.yaml` (the checks) and one `<id>.md` (the brief) per lab.
///
/// Like the content loader, it never stops at the first problem: every file is read and every
/// problem is reported as `path:line: message`.
public struct LabLoader: Sendable {
    public let directory: URL
    /// Topic ids that exist; `nil` skips that check.
    public let knownTopics: Set<String>?

    public init(directory: URL, knownTopics: Set<String>? = nil) {
        self.directory = directory
        self.knownTopics = knownTopics
    }

    /// The ids of the labs in the folder (from the `.yaml` file names), sorted.
    public func labIDs() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every lab that loads, and every problem found in any lab file.
    public func check() -> (labs: [Lab], problems: [ContentProblem]) {
        var labs: [Lab] = []
        var problems: [ContentProblem] = []
        if !FileManager.default.fileExists(atPath: directory.path) {
            return ([], [ContentProblem(path: displayPath(""), line: 1, message: "the labs folder is missing")])
        }
        // Checked on every core (the server's start-up waits for this), then gathered in order.
        let ids = labIDs()
        let results = Mutex([(lab: Lab?, problems: [ContentProblem])?](repeating: nil, count: ids.count))
        DispatchQueue.concurrentPerform(iterations: ids.count) { index in
            let result = check(id: ids[index])
            results.withLock { $0[index] = result }
        }
        for case let result? in results.withLock({ $0 }) {
            if let lab = result.lab { labs.append(lab) }
            problems += result.problems
        }
        let briefsWithoutLab = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".md") && $0 != "README.md" && !labIDs().contains(String($0.dropLast(3))) }
        for brief in briefsWithoutLab.sorted() {
            problems.append(
                ContentProblem(path: displayPath(brief), line: 1, message: "a brief without a lab: add \(brief.dropLast(3)).yaml or remove this file")
            )
        }
        return (labs, problems)
    }

    /// The lab `id`, or every problem that keeps it from running.
    public func load(id: String) throws(InvalidLab) -> Lab {
        let result = check(id: id)
        guard let lab = result.lab, result.problems.isEmpty else { throw InvalidLab(problems: result.problems) }
        return lab
    }

    /// Reads and validates one lab from its two files.
    public func check(id: String) -> (lab: Lab?, problems: [ContentProblem]) {
        let yamlPath = displayPath("\(id).yaml")
        let url = directory.appendingPathComponent("\(id).yaml")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            let known = labIDs().joined(separator: ", ")
            return (nil, [ContentProblem(path: yamlPath, line: 1, message: "there is no lab '\(id)' (labs are: \(known.isEmpty ? "none" : known))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [ContentProblem(path: yamlPath, line: 1, message: "the file is not UTF-8 text")])
        }
        let briefURL = directory.appendingPathComponent("\(id).md")
        let brief = FileManager.default.contents(atPath: briefURL.path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        return Self.check(yaml: text, brief: brief, fileID: id, path: yamlPath, briefPath: displayPath("\(id).md"), knownTopics: knownTopics)
    }

    /// Parses and validates a lab given as text; the heart of ``check(id:)``, usable without files.
    public static func check(
        yaml: String, brief: String, fileID: String, path: String, briefPath: String,
        knownTopics: Set<String>? = nil
    ) -> (lab: Lab?, problems: [ContentProblem]) {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                return (nil, [ContentProblem(path: path, line: 1, message: "the file is empty: a lab needs id, title, summary and stages")])
            }
            root = node
        } catch let error as YamlError {
            return (nil, [problem(from: error, path: path)])
        } catch {
            return (nil, [ContentProblem(path: path, line: 1, message: "not valid YAML: \(error)")])
        }
        var parser = LabParser(path: path)
        let lab = parser.parse(root, brief: brief)
        var problems = parser.reader.problems
        problems += LabValidator(path: path, briefPath: briefPath, knownTopics: knownTopics)
            .validate(root: root, fileID: fileID, brief: brief)
        problems.sort { $0.line < $1.line }
        return (problems.isEmpty ? lab : nil, problems)
    }

    private static func problem(from error: YamlError, path: String) -> ContentProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            ContentProblem(path: path, line: mark.line, message: "not valid YAML: \(problem)")
        default:
            ContentProblem(path: path, line: 1, message: "not valid YAML: \(error)")
        }
    }

    /// Paths relative to the working directory when the labs live below it, so they can be pasted into an editor.
    private func displayPath(_ file: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = directory.standardizedFileURL.path + "/" + file
        return full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : full
    }
}
