import Foundation
import LabKit

/// How a run is made: against what, with which seed, how far.
public struct RunOptions: Sendable {
    /// The learner's server, e.g. `http://127.0.0.1:3000`: an origin (see ``LabTarget``).
    public var target: URL
    /// Fixes every random value; printed with the result so `--seed` replays the run.
    public var seed: UInt64
    /// Check stages 1…N only; `nil` checks them all.
    public var throughStage: Int?
    /// Keep checking later stages after one fails.
    public var continueAfterFailure: Bool
    public var mode: AddressGuard.Mode
    /// Stops the learner's server and starts it again for the `restart` probe, and says in a
    /// sentence how it went; `nil` when this run did not start the server, and then a stage that
    /// restarts it is skipped.
    public var restart: (@Sendable () async throws -> String)?
    /// Turns host names into the addresses the guard judges and requests connect to.
    public var resolver: HostResolver
    /// The repository (`--repo`) or folder (`--dir`) a lab that checks no server reads; `nil` for
    /// labs that only probe a server.
    public var workspace: URL?
    /// Sends SIGTERM to the program `--run` started and waits up to the given time for it to end
    /// (killing it after that); `nil` when this run did not start it, and then a stage that needs
    /// it is skipped.
    public var terminate: (@Sendable (Duration) async -> ProgramTermination)?
    /// The learner's test suite, for a lab that checks one (`--tests`).
    public var testSuite: TestSuiteCommand?
    /// The command that replays this run, shown as the way to reproduce a failed suite check.
    public var replay: String = ""

    public init(
        target: URL, seed: UInt64 = RunOptions.randomSeed(), throughStage: Int? = nil,
        continueAfterFailure: Bool = false, mode: AddressGuard.Mode = .personal,
        restart: (@Sendable () async throws -> String)? = nil, resolver: HostResolver = .system, workspace: URL? = nil
    ) {
        self.target = target
        self.seed = seed
        self.throughStage = throughStage
        self.continueAfterFailure = continueAfterFailure
        self.mode = mode
        self.restart = restart
        self.resolver = resolver
        self.workspace = workspace
    }

    /// A seed short enough to type.
    public static func randomSeed() -> UInt64 { UInt64.random(in: 1...999_999_999) }
}

/// What a run reports while it goes, for live progress (terminal, server-sent events).
public enum RunEvent: Sendable {
    case stageStarted(number: Int, count: Int, stage: LabStage)
    case stepFinished(stage: Int, step: StepVerdict)
    case stageFinished(StageVerdict)
}

/// Runs a lab against a learner's server: stages in order (checking stage N runs 1…N-1 first, so a
/// regression shows where it happens), steps in order inside a stage, stopping at the first failing
/// stage unless asked to go on. Never throws: every failure becomes part of the verdict.
public struct LabRunner: Sendable {
    public let options: RunOptions

    /// Why a stage that restarts the server is skipped when the run did not start it.
    public static let restartNeedsRun = "this stage restarts your server: run with --run \"COMMAND\" --port PORT"
    /// Why a stage that stops the learner's program is skipped when the run did not start it.
    public static let shutdownNeedsRun = "this stage stops your server to watch it shut down: run with --run \"COMMAND\" --port PORT"
    /// Why the stages after a failed one are skipped.
    public static let earlierStageFailed = "an earlier stage failed"

    public init(options: RunOptions) {
        self.options = options
    }

    public func run(_ lab: Lab, events: @escaping @Sendable (RunEvent) -> Void = { _ in }) async -> LabVerdict {
        let transport = HTTPTransport(mode: options.mode, resolver: options.resolver)
        let verdict = await run(lab, transport: transport, events: events)
        await transport.shutdown()
        return verdict
    }

    private func run(_ lab: Lab, transport: HTTPTransport, events: @Sendable (RunEvent) -> Void) async -> LabVerdict {
        let clock = ContinuousClock()
        let start = clock.now
        let checks = RequestCheckRunner(transport: transport, target: options.target, seed: options.seed)
        var bindings = lab.bindings(seed: options.seed)
        let capturers = Self.capturers(of: lab)
        let count = min(options.throughStage ?? lab.stages.count, lab.stages.count)
        var stages: [StageVerdict] = []
        var stopped = false
        for (index, stage) in lab.stages.prefix(count).enumerated() {
            let number = index + 1
            guard !stopped else {
                stages.append(skipped(stage, number: number, because: Self.earlierStageFailed))
                continue
            }
            events(.stageStarted(number: number, count: count, stage: stage))
            if stage.restartsTarget, options.restart == nil {
                let verdict = skipped(stage, number: number, because: Self.restartNeedsRun)
                events(.stageFinished(verdict))
                stages.append(verdict)
                continue
            }
            if stage.stopsProgram, options.terminate == nil {
                let verdict = skipped(stage, number: number, because: Self.shutdownNeedsRun)
                events(.stageFinished(verdict))
                stages.append(verdict)
                continue
            }
            let missingReports = stage.reportOptions.filter { option in
                option.hasPrefix("--junit") ? options.testSuite?.junitReport == nil : options.testSuite?.coverageReport == nil
            }
            if !missingReports.isEmpty {
                let verdict = skipped(
                    stage, number: number,
                    because: "this stage reads the reports your suite writes: run with \(missingReports.joined(separator: " and "))")
                events(.stageFinished(verdict))
                stages.append(verdict)
                continue
            }
            let verdict = await run(stage, number: number, lab: lab, checks: checks, bindings: &bindings, capturers: capturers, events: events)
            events(.stageFinished(verdict))
            stages.append(verdict)
            if verdict.outcome == .failed && !options.continueAfterFailure { stopped = true }
        }
        let passed = !stages.isEmpty && stages.allSatisfy { $0.outcome == .passed }
        return LabVerdict(
            lab: lab.id, title: lab.title, target: options.workspace?.path ?? options.target.absoluteString, seed: options.seed,
            outcome: passed ? .passed : .failed, durationMS: start.duration(to: clock.now).milliseconds, stages: stages)
    }

    private func skipped(_ stage: LabStage, number: Int, because reason: String) -> StageVerdict {
        StageVerdict(
            number: number, id: stage.id, title: stage.title, outcome: .skipped, hint: stage.hint, skipReason: reason,
            beyond: stage.beyond, steps: stage.steps.map { StepVerdict(name: $0.name, outcome: .skipped, beyond: $0.beyond) })
    }

    /// The step that keeps a value for later steps, so a step that needs a value nobody kept can
    /// name the step to fix.
    struct Capturer: Sendable {
        let step: String
        let stage: Int
        let stageID: String
        /// Where in the answer the value is taken from, e.g. `$.article.slug`.
        let source: String

        var sentence: String { "step '\(step)' (stage \(stage) '\(stageID)') should have kept it from \(source)" }
    }

    /// Every kept value's ``Capturer``, by name (the first step that keeps it).
    static func capturers(of lab: Lab) -> [String: Capturer] {
        var found: [String: Capturer] = [:]
        for (index, stage) in lab.stages.enumerated() {
            for step in stage.steps {
                guard case .request(let check) = step.action else { continue }
                for (name, source) in check.captureSources where found[name] == nil {
                    found[name] = Capturer(step: step.name, stage: index + 1, stageID: stage.id, source: source)
                }
            }
        }
        return found
    }

    /// A step that cannot be sent because values it needs were never captured: it fails, naming
    /// the step that should have captured them, instead of sending placeholders.
    private func blocked(_ step: Step, check: RequestCheck, missing: [String], bindings: Bindings, capturers: [String: Capturer]) -> StepVerdict {
        let failures = missing.map { name in
            "not sent: ${\(name)} has no value — \(capturers[name]?.sentence ?? "no step keeps it"), but that step did not pass"
        }
        let blocker = missing.lazy.compactMap { capturers[$0]?.step }.first ?? missing.map { "${\($0)}" }.joined(separator: ", ")
        return StepVerdict(
            name: step.name, outcome: .failed, expected: check.expectation.summaries(filledFrom: bindings), failures: failures,
            beyond: step.beyond, blockedBy: blocker)
    }

    private func run(
        _ stage: LabStage, number: Int, lab: Lab, checks: RequestCheckRunner, bindings: inout Bindings,
        capturers: [String: Capturer], events: @Sendable (RunEvent) -> Void
    ) async -> StageVerdict {
        var steps: [StepVerdict] = []
        var failed = false
        for step in stage.steps {
            guard !failed else {
                steps.append(StepVerdict(name: step.name, outcome: .skipped, beyond: step.beyond))
                continue
            }
            if let waitMS = step.waitMS { try? await Task.sleep(for: .milliseconds(waitMS)) }
            let timeout = step.timeoutMS ?? lab.defaultTimeoutMS
            var checks = checks
            checks.client = step.client
            let clock = ContinuousClock()
            let start = clock.now
            var verdict: StepVerdict
            switch step.action {
            case .request(let check):
                var missing: [String] = []
                for name in check.names where bindings[name] == nil && !missing.contains(name) { missing.append(name) }
                guard missing.isEmpty else {
                    verdict = blocked(step, check: check, missing: missing, bindings: bindings, capturers: capturers)
                    break
                }
                let (result, notes) = await checks.run(check, bindings: bindings, timeoutMS: timeout, pollingFor: step.pollMS)
                for (name, value) in result.captured { bindings[name] = value }
                verdict = StepVerdict(
                    name: step.name, outcome: result.passed ? .passed : .failed,
                    expected: check.expectation.summaries(filledFrom: bindings),
                    failures: result.failures, notes: notes, exchange: result.passed ? nil : result.exchange)
            case .probe(let probe):
                verdict = await ProbeRunner(checks: checks, timeoutMS: timeout, restart: options.restart).run(
                    probe, name: step.name, bindings: bindings)
            case .inspect(let inspection):
                verdict = await InspectionRunner(options: options, checks: checks).run(inspection, name: step.name, bindings: bindings)
            }
            verdict.durationMS = start.duration(to: clock.now).milliseconds
            verdict.beyond = step.beyond
            verdict.waitedMS = step.waitMS
            events(.stepFinished(stage: number, step: verdict))
            steps.append(verdict)
            failed = verdict.outcome == .failed
        }
        return StageVerdict(
            number: number, id: stage.id, title: stage.title, outcome: failed ? .failed : .passed,
            hint: stage.hint, beyond: stage.beyond, steps: steps)
    }
}

extension Duration {
    /// Whole milliseconds, for reports.
    public var milliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
