import ArgumentParser
import Foundation
import LabKit
import LabRunner

/// `groundwork check LAB --target URL` or `--run "COMMAND" --port PORT`: runs a lab against the
/// learner's server — one they started, or one groundwork starts, restarts when a stage asks and
/// stops afterwards — reports what passed, what failed and how to reproduce it, and with
/// `--upload` sends the result to a Groundwork server.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check your server against a lab, stage by stage.",
        discussion: """
            Give the address of a server you started with --target, or let groundwork start it with --run "COMMAND" --port PORT: \
            then its output is shown among the steps (marked "app │"), stages that restart your server can run, and it is \
            stopped afterwards. Labs that check a git repository take --repo PATH (read only; the names they ask for come from \
            --seed, or else from your first commit); labs that check a container setup take --dir PATH, and --run "COMMAND" \
            --port PORT for the shutdown stage; labs that check a test suite take --tests "COMMAND" (and --junit FILE, --coverage FILE).

            Exit status: 0 when every checked stage ran and passed; 1 when a check failed or a stage could not run; 2 on a usage \
            error, when nothing answers at the target, when your program does not start, or when --upload fails.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, junit
    }

    @Argument(help: "The lab id, e.g. http-basics (see `groundwork labs list`).")
    var lab: String

    @Option(help: ArgumentHelp("Your server's base URL, when you started it yourself.", valueName: "URL"))
    var target: String?

    @OptionGroup(title: "Let groundwork start your server")
    var program: LabProgramOptions

    @OptionGroup(title: "Labs that check a repository or a folder")
    var workspace: LabWorkspaceOptions

    @Option(help: ArgumentHelp("Check stages 1 to N only (a number or a stage id); earlier stages always run first.", valueName: "N"))
    var stage: String?

    @Option(help: "Output: text (live, for people), json, or junit (XML for CI).")
    var format: Format = .text

    @Option(help: "Replay a run exactly: the seed fixes every random value (printed with each result).")
    var seed: UInt64?

    @Flag(name: .customLong("continue"), help: "Keep checking later stages after one fails.")
    var continueAfterFailure = false

    @OptionGroup(title: "Send the result to a Groundwork server")
    var upload: LabUploadOptions

    @OptionGroup var contentOptions: ContentOptions

    func run() async throws {
        var exitCode: ExitCode?
        do {
            try await check()
        } catch let error as UsageError {
            FileHandle.standardError.write(Data("groundwork: \(error.message)\n".utf8))
            exitCode = ExitCode(2)
        } catch let error as LearnerProgramError {
            FileHandle.standardError.write(Data("groundwork: \(error)\n".utf8))
            exitCode = ExitCode(2)
        } catch let code as ExitCode {
            exitCode = code
        }
        await LabInterrupts.waitIfInterrupted()
        if let exitCode { throw exitCode }
    }

    private func check() async throws {
        let lab = try loadLab(lab, contentOptions)
        if program.run != nil, lab.subject == .git || lab.subject == .tests {
            throw UsageError("--run starts a server, which lab \(lab.id) does not check: give \(lab.subject.commandOptions)")
        }
        let folder = try await workspace.workspace(for: lab, target: target)
        let url = try folder.map { folder in try program.validatedPort().map { URL(string: "http://127.0.0.1:\($0)")! } ?? folder } ?? targetURL()
        let throughStage = try stageNumber(in: lab)
        let uploader = try upload.uploader()
        let reporter = TextReporter(colour: isatty(STDOUT_FILENO) == 1 && Environment.value("NO_COLOR") == nil)
        let live = format == .text
        let say = Self.sayer(toStandardOutput: live)

        var runSeed = seed ?? RunOptions.randomSeed()
        if lab.subject == .git, let folder, seed == nil {
            runSeed = try await LabWorkspaceOptions.seed(ofRepository: folder)
            say(
                "The names this lab asks for come from seed \(runSeed), taken from your first commit (see them with groundwork labs show \(lab.id) --seed \(runSeed))."
            )
        }
        var options = RunOptions(
            target: url, seed: runSeed, throughStage: throughStage,
            continueAfterFailure: continueAfterFailure, mode: .personal, workspace: folder)
        options.testSuite = workspace.testSuite
        options.replay = replayCommand(seed: runSeed)
        let learner = program.learnerProgram(reporter: reporter, say: say)
        let interrupts = learner.map(LabInterrupts.stopOnInterrupt)
        if let learner {
            say("Starting your program: \(learner.command) (waiting up to \(program.startTimeout) s for 127.0.0.1:\(learner.port))")
            let took = try await learner.start()
            say("Your program listens on 127.0.0.1:\(learner.port) (after \(took.milliseconds) ms)\n")
            options.restart = { try await learner.restart() }
            options.terminate = { await learner.terminate(within: $0) }
        }
        if live { print("Checking \(lab.title) against \(folder?.path ?? url.absoluteString) (seed \(options.seed))\n") }
        let verdict = await LabRunner(options: options).run(lab) { event in
            guard live else { return }
            for line in reporter.lines(for: event) { print(line) }
            fflush(nil)
        }
        if let learner, let status = await learner.stop() {
            say("\nStopped your program: it \(status).")
        }
        if let interrupts { LabInterrupts.release(interrupts) }

        switch format {
        case .text: print("\n" + reporter.summary(verdict, replay: replayCommand(seed: options.seed), checksServer: lab.subject == .http))
        case .json: print(JSONReporter.report(verdict))
        case .junit: print(JUnitReporter.report(verdict), terminator: "")
        }
        fflush(nil)
        var uploadFailed = false
        if let uploader {
            do {
                let id = try await uploader.upload(JSONReporter.report(verdict))
                say("Uploaded as run \(id) to \(uploader.server.absoluteString)")
            } catch {
                FileHandle.standardError.write(Data("groundwork: the run was not uploaded: \(error)\n".utf8))
                uploadFailed = true
            }
        }
        if uploadFailed || Self.nothingAnswered(verdict) { throw ExitCode(2) }
        if !verdict.passed { throw ExitCode.failure }
    }

    /// Where messages besides the report go: stdout for text, stderr when stdout holds JSON or XML.
    private static func sayer(toStandardOutput: Bool) -> @Sendable (String) -> Void {
        guard toStandardOutput else { return { FileHandle.standardError.write(Data(($0 + "\n").utf8)) } }
        return { line in
            print(line)
            fflush(nil)
        }
    }

    /// `--target`, or the address `--run` serves at; exactly one of them.
    private func targetURL() throws -> URL {
        if let port = try program.validatedPort() {
            guard target == nil else {
                throw UsageError("give --target or --run, not both: with --run your server is checked at http://127.0.0.1:\(port)")
            }
            return URL(string: "http://127.0.0.1:\(port)")!
        }
        guard let target else {
            throw UsageError(
                "say where your server is: --target http://127.0.0.1:PORT for a server you started, "
                    + "or --run \"COMMAND\" --port PORT to let groundwork start it")
        }
        switch LabTarget.origin(target) {
        case .success(let url): return url
        case .failure(let invalid): throw UsageError("--target \(invalid.message)")
        }
    }

    private func stageNumber(in lab: Lab) throws -> Int? {
        guard let stage else { return nil }
        guard let number = lab.stageNumber(for: stage) else {
            let stages = lab.stages.enumerated().map { "\($0.offset + 1) \($0.element.id)" }.joined(separator: ", ")
            throw UsageError("lab \(lab.id) has no stage '\(stage)' (stages: \(stages))")
        }
        return number
    }

    private func replayCommand(seed: UInt64) -> String {
        var words = ["groundwork", "check", lab]
        if let repo = workspace.repo { words += ["--repo", Self.shellQuoted(repo)] }
        if let dir = workspace.dir { words += ["--dir", Self.shellQuoted(dir)] }
        if let tests = workspace.tests { words += ["--tests", Self.shellQuoted(tests)] }
        if let junit = workspace.junit { words += ["--junit", Self.shellQuoted(junit)] }
        if let coverage = workspace.coverage { words += ["--coverage", Self.shellQuoted(coverage)] }
        if let command = program.run, let port = program.port {
            words += ["--run", Self.shellQuoted(command), "--port", String(port)]
        } else if let target {
            words += ["--target", target]
        }
        words += ["--seed", String(seed)]
        if let stage { words += ["--stage", stage] }
        if continueAfterFailure { words.append("--continue") }
        return words.joined(separator: " ")
    }

    /// `text` as one word for a POSIX shell.
    static func shellQuoted(_ text: String) -> String {
        guard text.isEmpty || text.contains(where: { !($0.isLetter || $0.isNumber || "-_./:=@%+,".contains($0)) }) else { return text }
        return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// True when the very first request got no HTTP answer: a target problem, not a failed check.
    static func nothingAnswered(_ verdict: LabVerdict) -> Bool {
        guard let first = verdict.stages.first?.steps.first, first.outcome == .failed,
            let kind = first.exchange?.transportError?.kind
        else { return false }
        return [.connectionRefused, .hostNotFound, .addressRefused].contains(kind)
    }
}
