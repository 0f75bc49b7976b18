import ArgumentParser
import Curriculum
import Foundation
import LabKit
import LabRunner

/// `groundwork labs list|show|check`: what the labs are, what each asks for, and whether every
/// lab file is valid.
struct LabsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labs", abstract: "List, show and validate the labs.", subcommands: [List.self, Show.self, Check.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the labs.")

        @OptionGroup var contentOptions: ContentOptions

        func run() async throws {
            let labs = try loadAll(contentOptions)
            let width = labs.map(\.id.count).max() ?? 0
            for lab in labs {
                print("\(lab.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(lab.title) (\(lab.stages.count) stages) — \(lab.summary)")
            }
            print(
                "\nShow one with `groundwork labs show LAB`; check your server with `groundwork check LAB --target http://127.0.0.1:PORT`, "
                    + "or let groundwork start it with `--run \"COMMAND\" --port PORT`.")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a lab's brief and, stage by stage, how it is tested.")

        @Argument(help: "The lab id, e.g. http-basics.")
        var lab: String

        @Option(help: "Labs that set tasks with seeded names (git-workflow): show the names for this seed.")
        var seed: UInt64?

        @OptionGroup var contentOptions: ContentOptions

        func run() async throws {
            let lab = try loadLab(lab, contentOptions)
            print("\(lab.title) (\(lab.id))\n\(lab.summary)\nVerifies: \(lab.topics.joined(separator: ", "))")
            if let suite = lab.follows {
                print("Follows \(suite)'s tests: a server that passes them passes every check not marked [beyond \(suite)].")
            }
            let chosenSeed = seed ?? RunOptions.randomSeed()
            let bindings = lab.subject == .git && !lab.randomValues.isEmpty ? lab.bindings(seed: chosenSeed) : nil
            print("")
            print(lab.brief.trimmingCharacters(in: .whitespacesAndNewlines))
            print("\n## How each stage is tested\n")
            for (index, stage) in lab.stages.enumerated() {
                print("Stage \(index + 1) · \(stage.id) — \(stage.title)" + (stage.beyond.map { " [beyond \($0)]" } ?? ""))
                print("  Build: \(bindings?.fill(stage.goal) ?? stage.goal)")
                for step in stage.steps {
                    if case .inspect(let inspection) = step.action, let bindings {
                        print("  - \(step.name)\n      check \(inspection.kind.rawValue): \(inspection.summary(bindings))")
                    } else {
                        print("  - \(step.name)\n      \(step.summary)")
                    }
                }
                print("")
            }
            if lab.subject != .http {
                let seedText = bindings == nil ? "" : " --seed \(chosenSeed)"
                print("Check it: groundwork check \(lab.id) \(lab.subject.commandOptions)\(seedText) [--stage N]")
                if lab.stages.contains(where: \.stopsProgram) {
                    print("(with --run \"COMMAND\" --port PORT as well, groundwork starts your server to check how it shuts down)")
                }
                if bindings != nil, seed == nil {
                    print("Keep seed \(chosenSeed): the names above come from it (without --seed, the check takes one from your first commit).")
                }
                return
            }
            if let restarting = lab.stages.firstIndex(where: \.restartsTarget) {
                print("Check it: groundwork check \(lab.id) --run \"COMMAND\" --port PORT [--stage N]")
                print(
                    "(stage \(restarting + 1) restarts your server, so groundwork must start it: COMMAND is how you start it, PORT where it listens)")
            } else {
                print("Check it: groundwork check \(lab.id) --target http://127.0.0.1:PORT [--stage N]")
            }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate every lab file; exits 1 if any has a problem.")

        @OptionGroup var contentOptions: ContentOptions

        func run() async throws {
            try contentOptions.validateExists()
            let topics = ContentLoader(contentDirectory: contentOptions.contentDirectory, sourceRoot: nil)
                .check().roadmap.topics.map(\.id)
            let loader = LabLoader(directory: labsDirectory(contentOptions), knownTopics: topics.isEmpty ? nil : Set(topics))
            let result = loader.check()
            for problem in result.problems { print(problem) }
            guard result.problems.isEmpty else {
                print("\(result.problems.count) problem(s) found.")
                throw ExitCode.failure
            }
            let stages = result.labs.reduce(0) { $0 + $1.stages.count }
            let steps = result.labs.reduce(0) { $0 + $1.stages.reduce(0) { $0 + $1.steps.count } }
            print("Labs OK: \(result.labs.count) labs, \(stages) stages, \(steps) steps.")
        }
    }
}

/// A mistake in how the command was called; reported in one line with exit status 2.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

private func labsDirectory(_ options: ContentOptions) -> URL {
    options.contentDirectory.appendingPathComponent("labs")
}

private func loadAll(_ options: ContentOptions) throws -> [Lab] {
    try options.validateExists()
    let result = LabLoader(directory: labsDirectory(options)).check()
    guard result.problems.isEmpty else {
        throw ValidationError("the lab files have problems; run `groundwork labs check` to see them")
    }
    return result.labs
}

func loadLab(_ id: String, _ options: ContentOptions) throws -> Lab {
    try options.validateExists()
    do {
        return try LabLoader(directory: labsDirectory(options)).load(id: id)
    } catch {
        throw UsageError(error.problems.map(\.description).joined(separator: "\n"))
    }
}
