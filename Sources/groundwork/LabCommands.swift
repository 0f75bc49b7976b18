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
            print("\nShow one with `groundwork labs show LAB`; check your server with `groundwork check LAB --target http://127.0.0.1:PORT`.")
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a lab's brief and, stage by stage, how it is tested.")

        @Argument(help: "The lab id, e.g. http-basics.")
        var lab: String

        @OptionGroup var contentOptions: ContentOptions

        func run() async throws {
            let lab = try loadLab(lab, contentOptions)
            print("\(lab.title) (\(lab.id))\n\(lab.summary)\nVerifies: \(lab.topics.joined(separator: ", "))\n")
            print(lab.brief.trimmingCharacters(in: .whitespacesAndNewlines))
            print("\n## How each stage is tested\n")
            for (index, stage) in lab.stages.enumerated() {
                print("Stage \(index + 1) · \(stage.id) — \(stage.title)")
                print("  Build: \(stage.goal)")
                for step in stage.steps {
                    print("  - \(step.name)\n      \(step.summary)")
                }
                print("")
            }
            print("Check it: groundwork check \(lab.id) --target http://127.0.0.1:PORT [--stage N]")
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate every lab file; exits 1 if any has a problem.")

        @OptionGroup var contentOptions: ContentOptions

        func run() async throws {
            try contentOptions.validateExists()
            let topics = ContentLoader(contentDirectory: contentOptions.contentDirectory, sourceRoot: contentOptions.sourceRoot)
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

/// `groundwork check LAB --target URL`: runs a lab against the learner's server and reports what
/// passed, what failed, and how to reproduce it. Exit status: 0 passed, 1 a check failed,
/// 2 a usage error or no server answering at the target.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check your server against a lab, stage by stage.",
        discussion: "Exit status: 0 when every checked stage passed, 1 when a check failed, 2 on a usage error or when nothing answers at the target."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit
    }

    @Argument(help: "The lab id, e.g. http-basics (see `groundwork labs list`).")
    var lab: String

    @Option(help: ArgumentHelp("Your server's base URL.", valueName: "URL"))
    var target: String

    @Option(help: ArgumentHelp("Check stages 1 to N only (a number or a stage id); earlier stages always run first.", valueName: "N"))
    var stage: String?

    @Option(help: "Output: text (live, for people), json, or junit (XML for CI).")
    var format: Format = .text

    @Option(help: "Replay a run exactly: the seed fixes every random value (printed with each result).")
    var seed: UInt64?

    @Flag(name: .customLong("continue"), help: "Keep checking later stages after one fails.")
    var continueAfterFailure = false

    @OptionGroup var contentOptions: ContentOptions

    func run() async throws {
        do {
            try await check()
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("groundwork: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func check() async throws {
        let lab = try loadLab(lab, contentOptions)
        guard let url = URL(string: target), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw UsageError("--target '\(target)' is not an http:// or https:// URL; give your server's address, e.g. http://127.0.0.1:3000")
        }
        var throughStage: Int?
        if let stage {
            guard let number = lab.stageNumber(for: stage) else {
                let stages = lab.stages.enumerated().map { "\($0.offset + 1) \($0.element.id)" }.joined(separator: ", ")
                throw UsageError("lab \(lab.id) has no stage '\(stage)' (stages: \(stages))")
            }
            throughStage = number
        }
        let options = RunOptions(target: url, seed: seed ?? RunOptions.randomSeed(), throughStage: throughStage,
                                 continueAfterFailure: continueAfterFailure, mode: .personal)
        let reporter = TextReporter(colour: isatty(STDOUT_FILENO) == 1 && Environment.value("NO_COLOR") == nil)
        let live = format == .text
        if live { print("Checking \(lab.title) against \(url.absoluteString) (seed \(options.seed))\n") }
        let verdict = await LabRunner(options: options).run(lab) { event in
            guard live else { return }
            for line in reporter.lines(for: event) { print(line) }
            fflush(nil)
        }
        switch format {
        case .text: print("\n" + reporter.summary(verdict, replay: replayCommand(seed: options.seed)))
        case .json: print(JSONReporter.report(verdict))
        case .junit: print(JUnitReporter.report(verdict), terminator: "")
        }
        if Self.nothingAnswered(verdict) { throw ExitCode(2) }
        if !verdict.passed { throw ExitCode.failure }
    }

    private func replayCommand(seed: UInt64) -> String {
        var words = ["groundwork", "check", lab, "--target", target, "--seed", String(seed)]
        if let stage { words += ["--stage", stage] }
        if continueAfterFailure { words.append("--continue") }
        return words.joined(separator: " ")
    }

    /// True when the very first request got no HTTP answer: a target problem, not a failed check.
    static func nothingAnswered(_ verdict: LabVerdict) -> Bool {
        guard let first = verdict.stages.first?.steps.first, first.outcome == .failed,
              let kind = first.exchange?.transportError?.kind else { return false }
        return [.connectionRefused, .hostNotFound, .addressRefused].contains(kind)
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

private func loadLab(_ id: String, _ options: ContentOptions) throws -> Lab {
    try options.validateExists()
    do {
        return try LabLoader(directory: labsDirectory(options)).load(id: id)
    } catch {
        throw UsageError(error.problems.map(\.description).joined(separator: "\n"))
    }
}
