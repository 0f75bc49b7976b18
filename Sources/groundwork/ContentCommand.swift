import ArgumentParser
import Curriculum
import Foundation

/// `groundwork content check`: validates every content file and prints `path:line: message`.
struct ContentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content", abstract: "Work with the content files.", subcommands: [Check.self]
    )

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate every content file; exits 1 if any has a problem.")

        @OptionGroup var contentOptions: ContentOptions

        @Flag(help: "Accept topics that name labs which do not exist yet.")
        var allowMissingLabs = false

        func run() async throws {
            try contentOptions.validateExists()
            let loader = ContentLoader(contentDirectory: contentOptions.contentDirectory, sourceRoot: contentOptions.sourceRoot)
            let labsDirectory = contentOptions.contentDirectory.appendingPathComponent("labs")
            let labFiles = (try? FileManager.default.contentsOfDirectory(atPath: labsDirectory.path)) ?? []
            let knownLabs = Set(labFiles.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) })
            let result = loader.check(options: .init(knownLabs: allowMissingLabs ? nil : knownLabs))
            for problem in result.problems { print(problem) }
            let topics = result.roadmap.topics
            let questions = topics.reduce(0) { $0 + $1.quiz.count }
            let figures = QuizBankFigures(questions: topics.lazy.flatMap(\.quiz))
            for line in figures.summary { print(line) }
            for problem in figures.problems { print("Quiz bank: \(problem)") }
            let count = result.problems.count + figures.problems.count
            if count == 0 {
                print("Content OK: \(result.roadmap.stages.count) stages, \(topics.count) topics, \(questions) quiz questions.")
            } else {
                print("\(count) problem(s) found.")
                throw ExitCode.failure
            }
        }
    }
}
