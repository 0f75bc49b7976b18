import LabKit

/// The human report: a line per step as the run goes, every failing step in full (what was sent,
/// what came back, what was expected, the stage's hint, a curl line), and a closing verdict that
/// says how to replay the run.
public struct TextReporter: Sendable {
    /// ANSI colours; off when output is not a terminal or `NO_COLOR` is set.
    public let colour: Bool

    public init(colour: Bool) {
        self.colour = colour
    }

    /// What to print for one live event.
    public func lines(for event: RunEvent) -> [String] {
        switch event {
        case .stageStarted(let number, let count, let stage):
            return [bold("Stage \(number)/\(count) · \(stage.id) — \(stage.title)") + (stage.beyond.map { " " + dim("[beyond \($0)]") } ?? "")]
        case .stepFinished(_, let step):
            return stepLines(step)
        case .stageFinished(let stage):
            if stage.outcome == .skipped { return ["  " + yellow("SKIPPED") + " \(stage.skipReason ?? LabRunner.earlierStageFailed)"] }
            guard stage.outcome == .failed else { return [] }
            return stage.steps.filter { $0.outcome == .failed }.flatMap { failureDetails($0, hint: stage.hint) }
        }
    }

    /// The whole run at once, as the live lines would have shown it, plus the summary.
    public func report(_ verdict: LabVerdict, replay: String) -> String {
        var lines: [String] = []
        for stage in verdict.stages {
            if stage.outcome == .skipped {
                lines.append(
                    dim("Stage \(stage.number) · \(stage.id) — \(stage.title): not run, \(stage.skipReason ?? LabRunner.earlierStageFailed)"))
                continue
            }
            lines.append(
                contentsOf: self.lines(
                    for: .stageStarted(
                        number: stage.number, count: verdict.stages.count,
                        stage: LabStage(id: stage.id, title: stage.title, goal: "", hint: stage.hint, beyond: stage.beyond, steps: []))))
            for step in stage.steps { lines += stepLines(step) }
            lines += self.lines(for: .stageFinished(stage))
        }
        return (lines + ["", summary(verdict, replay: replay)]).joined(separator: "\n")
    }

    /// The closing lines: passed, where it failed, or which stages could not run (a lab passes only
    /// when every stage ran and passed), and the command that replays this run — against fresh
    /// data for a lab that checks a server, simply again for one that checks files (`checksServer` false).
    public func summary(_ verdict: LabVerdict, replay: String, checksServer: Bool = true) -> String {
        let passed = verdict.stages.filter { $0.outcome == .passed }.count
        let time = "\(verdict.durationMS) ms"
        if verdict.passed {
            return green("PASSED")
                + " \(verdict.lab): \(passed)/\(verdict.stages.count) stages against \(verdict.target) (seed \(verdict.seed), \(time))"
        }
        if verdict.firstFailedStage == nil, !verdict.stages.isEmpty {
            let skipped = verdict.stages.filter { $0.outcome == .skipped }
            return yellow("NOT PASSED") + " \(verdict.lab): \(passed) of \(verdict.stages.count) stages passed and none failed, "
                + "but a lab passes only when every stage runs (seed \(verdict.seed), \(time))\n"
                + skipped.map { "Skipped stage \($0.number) '\($0.id)': \($0.skipReason ?? LabRunner.earlierStageFailed)" }.joined(separator: "\n")
        }
        let failed = verdict.firstFailedStage.map { "stage \($0.number) '\($0.id)'" } ?? "no stage ran"
        return red("FAILED") + " \(verdict.lab) at \(failed): \(passed) of \(verdict.stages.count) stages passed (seed \(verdict.seed), \(time))\n"
            + (checksServer ? FailureAdvice.replayLine(replay) : "Check again after your changes: \(replay)")
    }

    private func stepLines(_ step: StepVerdict) -> [String] {
        let beyond = step.beyond.map { " " + dim("[beyond \($0)]") } ?? ""
        let time = dim("(" + (step.waitedMS.map { "after a \($0) ms pause, " } ?? "") + "\(step.durationMS) ms)")
        switch step.outcome {
        case .passed:
            return ["  " + green("✓") + " \(step.name)\(beyond) " + time] + step.notes.map { dim("      \($0)") }
        case .failed:
            return ["  " + red("✗") + " \(step.name)\(beyond) " + time]
        case .skipped:
            return [dim("  - \(step.name) (not run: an earlier step failed)")]
        }
    }

    private func failureDetails(_ step: StepVerdict, hint: String) -> [String] {
        var lines = ["", red("  ✗ \(step.name)")]
        lines += step.failures.map { "      " + red($0) }
        lines += step.notes.map { "      \($0)" }
        if !step.expected.isEmpty { lines += labelled("expected", step.expected) }
        if let exchange = step.exchange {
            let request = exchange.request
            lines += labelled(
                "request",
                ["\(request.method) \(request.url)"] + request.headers.map { "\($0.name): \($0.value)" }
                    + (request.body.map { ["", $0] } ?? []))
            if let response = exchange.response {
                let body = FailureAdvice.bodyLines(of: response)
                lines += labelled(
                    "response",
                    ["\(response.status) (\(response.elapsedMS) ms)"] + response.headers.map { "\($0.name): \($0.value)" }
                        + (body.isEmpty ? [] : [""] + body))
            } else if let error = exchange.transportError {
                lines += labelled("response", ["none: \(error.message)", error.hint])
            }
        }
        if let transcript = step.transcript, !transcript.isEmpty { lines += labelled("saw", transcript) }
        if let advice = FailureAdvice.hint(for: step, stageHint: hint) { lines += labelled("hint", [advice]) }
        if let command = step.exchange?.curl ?? step.reproduce { lines += labelled("reproduce", [command]) }
        return lines + [""]
    }

    /// `label:` then the values, continuation lines aligned under the first.
    private func labelled(_ label: String, _ values: [String]) -> [String] {
        let width = 11
        let heading = "      " + dim(label + ":" + String(repeating: " ", count: max(1, width - label.count - 1)))
        let indent = "      " + String(repeating: " ", count: width)
        let lines: [String] = values.flatMap { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var result: [String] = []
        for (index, line) in lines.enumerated() {
            result.append((index == 0 ? heading : indent) + line)
        }
        return result
    }

    private func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    private func green(_ text: String) -> String { paint(text, "32") }
    func red(_ text: String) -> String { paint(text, "31") }
    private func yellow(_ text: String) -> String { paint(text, "33") }
    private func bold(_ text: String) -> String { paint(text, "1") }
    func dim(_ text: String) -> String { paint(text, "2") }
}
