import Foundation
import LabKit
import LabRunner
import Learning
import Storage

/// What a run's page shows: how it went, every stage and step, and for each failing step what was
/// sent, what came back, what was expected, the stage's hint and a curl line that sends it again.
struct LabRunPageModel {
    struct StageResult {
        let number: Int
        let title: String
        let outcome: String
        let outcomeLabel: String
        let hint: String
        let steps: [StepResult]
        let hasSteps: Bool
    }

    struct StepResult {
        let name: String
        let outcome: String
        let symbol: String
        let durationMS: Int
        let failed: Bool
        let failures: [String]
        let notes: [String]
        let expected: [String]
        let hasExpected: Bool
        let request: RequestView?
        let response: ResponseView?
        let transportError: TransportError?
        /// What to do next: the stage's hint, or what the real cause calls for (a crash, a value an
        /// earlier step never kept); none when nothing answered, since the transport hint says more.
        let advice: String?
        /// A curl line, or for a check of a repository or a Dockerfile the command that shows the same.
        let curl: String?
        /// What such a check ran and saw, a line each; empty for an HTTP step.
        let transcript: String?
    }

    struct RequestView {
        let line: String
        let headers: [String]
        let body: String?
    }

    struct ResponseView {
        let status: Int
        let elapsedMS: Int
        let headers: [String]
        let body: String?
        let cutNote: String?
    }

    let labID: String
    let labTitle: String
    let passed: Bool
    let headline: String
    let detail: String
    /// A command the detail asks the learner to run.
    var command: String?
    let target: String
    let seed: String
    let when: String
    let durationMS: Int
    let source: String
    let replayCommand: String
    /// The form values that run the same check again.
    let rerunStage: String
    let stages: [StageResult]

    init(run: LabRun, verdict: LabVerdict, lab: Lab) {
        labID = lab.id
        labTitle = lab.title
        passed = run.passed
        let checked = verdict.stages.count
        let skipped = verdict.stages.first { $0.outcome == .skipped }
        switch (run.passed, Self.nothingAnswered(verdict), verdict.firstFailedStage) {
        case (true, _, _):
            headline = "Passed"
            detail = "Every one of the \(lab.stages.count) stages passed. The lab's topics are verified."
        case (false, .some(let error), _):
            headline = "Nothing answered at \(verdict.target)"
            detail = error.description
        case (false, nil, .some(let stage)):
            headline = "Failed at stage \(stage.number): \(stage.title)"
            detail =
                "\(run.stagesPassed) of \(lab.stages.count) stages passed. The failing step below shows what was sent, "
                + "what came back and how to send the same request yourself."
        case (false, nil, nil) where skipped?.skipReason == LabRunner.restartNeedsRun:
            headline = "Not passed: stage \(skipped?.number ?? 0) was not run"
            detail =
                "\(run.stagesPassed) of \(lab.stages.count) stages passed. Stage \(skipped?.number ?? 0) restarts your server, which only "
                + "a check that started it can do. To pass the lab, run this on your machine:"
            command = LabPageModel.restartCommand(lab)
        case (false, nil, nil) where skipped != nil:
            headline = "Not passed: stage \(skipped?.number ?? 0) was not run"
            detail = "\(skipped?.skipReason ?? "It was skipped."). \(run.stagesPassed) of \(lab.stages.count) stages passed."
        case (false, nil, nil):
            headline = "Stages 1–\(checked) passed"
            detail = "This run checked \(checked) of the \(lab.stages.count) stages. Run all stages to pass the lab and verify its topics."
        }
        target = verdict.target
        seed = String(verdict.seed)
        when = DisplayTime.format(run.finishedAt)
        durationMS = verdict.durationMS
        source = run.source == .web ? "run from the lab page" : "uploaded from the groundwork CLI: run on the learner's machine, not by this server"
        rerunStage = checked < lab.stages.count ? String(checked) : ""
        replayCommand =
            "groundwork check \(lab.id) --target \(verdict.target) --seed \(verdict.seed)" + (rerunStage.isEmpty ? "" : " --stage \(rerunStage)")
        stages = verdict.stages.map(Self.stage)
    }

    /// Why the very first request got no answer at all: a server that is not running, not a failed check.
    private static func nothingAnswered(_ verdict: LabVerdict) -> TransportError? {
        guard let first = verdict.stages.first?.steps.first, first.outcome == .failed,
            let error = first.exchange?.transportError, [.connectionRefused, .hostNotFound, .addressRefused].contains(error.kind)
        else { return nil }
        return error
    }

    private static func stage(_ stage: StageVerdict) -> StageResult {
        let label =
            switch stage.outcome {
            case .passed: "passed"
            case .failed: "failed"
            case .skipped: "not run: \(stage.skipReason ?? "an earlier stage failed")"
            }
        let steps = stage.steps.filter { $0.outcome != .skipped }.map { Self.step($0, stageHint: stage.hint, stageBeyond: stage.beyond) }
        return StageResult(
            number: stage.number, title: stage.title, outcome: stage.outcome.rawValue, outcomeLabel: label,
            hint: stage.hint, steps: steps, hasSteps: !steps.isEmpty)
    }

    private static func step(_ step: StepVerdict, stageHint: String, stageBeyond: String?) -> StepResult {
        let exchange = step.exchange
        let request = exchange.map { exchange in
            RequestView(
                line: "\(exchange.request.method) \(exchange.request.url)",
                headers: exchange.request.headers.map { "\($0.name): \($0.value)" }, body: exchange.request.body)
        }
        let response = exchange?.response.map { response in
            ResponseView(
                status: response.status, elapsedMS: response.elapsedMS, headers: response.headers.map { "\($0.name): \($0.value)" },
                body: response.body.isEmpty ? nil : FailureAdvice.bodyLines(of: response).joined(separator: "\n"),
                cutNote: response.truncated ? "The body was \(response.bodyBytes) bytes; only the start is shown." : nil)
        }
        return StepResult(
            name: step.name + ((step.beyond ?? stageBeyond).map { " [beyond \($0)]" } ?? ""), outcome: step.outcome.rawValue,
            symbol: step.outcome == .passed ? "✓" : "✗", durationMS: step.durationMS,
            failed: step.outcome == .failed, failures: step.failures, notes: step.notes, expected: step.expected,
            hasExpected: !step.expected.isEmpty, request: request, response: response, transportError: exchange?.transportError,
            advice: FailureAdvice.hint(for: step, stageHint: stageHint), curl: exchange?.curl ?? step.reproduce,
            transcript: step.transcript.flatMap { $0.isEmpty ? nil : $0.joined(separator: "\n") }
        )
    }
}
