import ArgumentParser
import Curriculum
import Foundation
import SQLPractice

/// `groundwork sql list|show|try|check`: SQL practice offline, on the same dataset and exercises
/// as the practice pages.
struct SQLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Practise SQL on the embedded shop dataset.", subcommands: [List.self, Show.self, Try.self, Check.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the exercises, easiest first.")

        @OptionGroup var options: SQLPracticeOptions

        func run() async throws {
            let practice = try options.load()
            for difficulty in Exercise.Difficulty.allCases {
                let exercises = practice.exercises.filter { $0.difficulty == difficulty }
                guard !exercises.isEmpty else { continue }
                print("\(difficulty.rawValue.capitalized)")
                let width = exercises.map(\.title.count).max() ?? 0
                for exercise in exercises {
                    print(
                        "\(String(format: "%3d", exercise.number))  \(exercise.title.padding(toLength: width, withPad: " ", startingAt: 0))  \(exercise.theme)"
                    )
                }
                print("")
            }
            print("Read one with `groundwork sql show N`; answer it with `groundwork sql try N \"SELECT …\"`.")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show an exercise: what to write, and how it is checked.")

        @Argument(help: "The exercise number (see `groundwork sql list`).")
        var number: Int

        @Flag(help: "Show the hints too.")
        var hints = false

        @OptionGroup var options: SQLPracticeOptions

        func run() async throws {
            let practice = try options.load()
            let exercise = try options.exercise(number, in: practice)
            print("Exercise \(exercise.number): \(exercise.title)  [\(exercise.difficulty.rawValue) · \(exercise.theme)]\n")
            print(exercise.prompt)
            let rules = ExerciseRules.howItIsChecked(exercise)
            print("\n" + rules.text)
            if let query = rules.query { print(query.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")) }
            if hints {
                for (index, hint) in exercise.hints.enumerated() { print("\nHint \(index + 1): \(hint)") }
            } else {
                print("\nStuck? `groundwork sql show \(exercise.number) --hints`.")
            }
            print(
                "\nAnswer: groundwork sql try \(exercise.number) \"\(exercise.kind == .query ? "SELECT …" : "…")\"   (or - to read the SQL from standard input)"
            )
        }
    }

    struct Try: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run your answer to an exercise and see whether it is right.",
            discussion: "Exit status: 0 when the answer is correct, 1 when it runs but is wrong, 2 when it fails with an error."
        )

        @Argument(help: "The exercise number (see `groundwork sql list`).")
        var number: Int

        @Argument(help: "Your SQL, quoted; - reads it from standard input.")
        var sql: String

        @OptionGroup var options: SQLPracticeOptions

        func run() async throws {
            let practice = try options.load()
            let exercise = try options.exercise(number, in: practice)
            let text = sql == "-" ? String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) : sql
            let result = try await practice.grade(text, for: exercise)
            print(AttemptReport.text(result, exercise: exercise))
            switch result.verdict {
            case .correct: return
            case .wrong: throw ExitCode(1)
            case .error: throw ExitCode(2)
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate every exercise file and run every reference; exits 1 if any has a problem.")

        @OptionGroup var options: SQLPracticeOptions

        func run() async throws {
            try options.content.validateExists()
            let topics = ContentLoader(contentDirectory: options.content.contentDirectory, sourceRoot: nil)
                .check().roadmap.topics.map(\.id)
            let loader = ExerciseLoader(directory: options.exercisesDirectory, knownTopics: topics.isEmpty ? nil : Set(topics))
            let loaded = loader.check()
            var problems = loaded.problems
            if problems.isEmpty {
                let sandbox = Sandbox(dataset: PracticeDataset(dataDirectory: options.dataDirectory))
                problems = try await ExerciseAudit.problems(in: SQLPractice(exercises: loaded.exercises, grader: Grader(sandbox: sandbox)))
            }
            for problem in problems { print(problem) }
            guard problems.isEmpty else {
                print("\(problems.count) problem(s) found.")
                throw ExitCode.failure
            }
            print("SQL exercises OK: \(loaded.exercises.count) exercises; every reference passes its own exercise.")
        }
    }
}

/// Where the exercises are and where the dataset is built; shared by the `sql` subcommands.
struct SQLPracticeOptions: ParsableArguments {
    @Option(
        help: "Folder for data; the practice dataset is built in its sql-practice folder at first use (env GROUNDWORK_DATA; default ./.groundwork).")
    var data: String?

    @OptionGroup var content: ContentOptions

    var dataDirectory: URL { URL(fileURLWithPath: data ?? Environment.value("GROUNDWORK_DATA") ?? ".groundwork") }
    var exercisesDirectory: URL { content.contentDirectory.appendingPathComponent("sql") }

    func load() throws -> SQLPractice {
        try content.validateExists()
        do {
            return try SQLPractice.load(exercisesDirectory: exercisesDirectory, dataDirectory: dataDirectory)
        } catch {
            throw ValidationError("the SQL exercise files have problems; run `groundwork sql check` to see them")
        }
    }

    func exercise(_ number: Int, in practice: SQLPractice) throws -> Exercise {
        guard let exercise = practice.exercise(number: number) else {
            throw ValidationError(
                "there is no exercise \(number): they are numbered 1 to \(practice.exercises.count) (`groundwork sql list` shows them)")
        }
        return exercise
    }
}
