import ContentKit
import Foundation
import Yams

/// Reads `Content/sql/*.yaml`: each file is one theme at one difficulty with its exercises. Files
/// are read in name order and exercises numbered in that order, so the numbers run from easiest to
/// hardest; a file whose difficulty is lower than an earlier file's is reported.
///
/// Like the content loader it never stops at the first problem: every file is read and every
/// problem is reported as `path:line: message`. Whether each reference query passes its own
/// exercise needs the dataset; `groundwork sql check` and the tests run that.
public struct ExerciseLoader: Sendable {
    public let directory: URL
    /// Topic ids that exist; `nil` skips that check.
    public let knownTopics: Set<String>?

    public init(directory: URL, knownTopics: Set<String>? = nil) {
        self.directory = directory
        self.knownTopics = knownTopics
    }

    /// Every exercise, or every problem that keeps them from being served.
    public func load() throws(InvalidExercises) -> [Exercise] {
        let result = check()
        guard result.problems.isEmpty else { throw InvalidExercises(problems: result.problems) }
        return result.exercises
    }

    /// Every exercise that loads, numbered, and every problem found in any file.
    public func check() -> (exercises: [Exercise], problems: [ContentProblem]) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            return ([], [ContentProblem(path: displayPath(""), line: 1, message: "the SQL exercises folder is missing")])
        }
        var exercises: [Exercise] = []
        var problems: [ContentProblem] = []
        var hardest: (difficulty: Exercise.Difficulty, file: String)?
        var firstFileOfID: [String: String] = [:]
        for file in files.filter({ $0.hasSuffix(".yaml") }).sorted() {
            let path = displayPath(file)
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path),
                let text = String(data: data, encoding: .utf8)
            else {
                problems.append(ContentProblem(path: path, line: 1, message: "cannot read the file as UTF-8 text"))
                continue
            }
            let root: Node
            do {
                guard let node = try Yams.compose(yaml: text) else {
                    problems.append(ContentProblem(path: path, line: 1, message: "the file is empty: it needs theme, difficulty and exercises"))
                    continue
                }
                root = node
            } catch let error as YamlError {
                problems.append(Self.problem(from: error, path: path))
                continue
            } catch {
                problems.append(ContentProblem(path: path, line: 1, message: "not valid YAML: \(error)"))
                continue
            }
            var parser = ExerciseParser(path: path)
            let parsed = parser.parse(root)
            problems += parser.reader.problems.sorted { $0.line < $1.line }
            if let difficulty = parsed.difficulty {
                if let hardest, difficulty < hardest.difficulty {
                    problems.append(
                        ContentProblem(
                            path: path, line: root["difficulty"]?.mark?.line ?? 1,
                            message:
                                "difficulty '\(difficulty.rawValue)' comes after \(hardest.file), which is '\(hardest.difficulty.rawValue)': exercises are numbered in file-name order, easiest first, so rename the file to sort earlier"
                        ))
                }
                if hardest.map({ difficulty > $0.difficulty }) ?? true { hardest = (difficulty, file) }
            }
            for exercise in parsed.exercises {
                if let other = firstFileOfID[exercise.id] {
                    problems.append(
                        ContentProblem(path: path, line: exercise.line, message: "duplicate exercise id '\(exercise.id)': \(other) already uses it"))
                    continue
                }
                firstFileOfID[exercise.id] = path
                problems += unknownTopics(of: exercise)
                var numbered = exercise
                numbered.number = exercises.count + 1
                exercises.append(numbered)
            }
        }
        if exercises.isEmpty && problems.isEmpty {
            problems.append(
                ContentProblem(path: displayPath(""), line: 1, message: "no exercises: add a .yaml file with theme, difficulty and exercises"))
        }
        return (exercises, problems)
    }

    private func unknownTopics(of exercise: Exercise) -> [ContentProblem] {
        guard let knownTopics else { return [] }
        return exercise.topics.filter { !knownTopics.contains($0) }.map {
            ContentProblem(
                path: exercise.path, line: exercise.line,
                message: "exercise '\(exercise.id)': unknown topic '\($0)' (topic ids are the names of the files in Content/topics)")
        }
    }

    private static func problem(from error: YamlError, path: String) -> ContentProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            ContentProblem(path: path, line: mark.line, message: "not valid YAML: \(problem)")
        default:
            ContentProblem(path: path, line: 1, message: "not valid YAML: \(error)")
        }
    }

    /// Paths relative to the working directory when the exercises live below it, so they can be pasted into an editor.
    private func displayPath(_ file: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        let full = directory.standardizedFileURL.path + "/" + file
        return full.hasPrefix(cwd) ? String(full.dropFirst(cwd.count)) : full
    }
}
