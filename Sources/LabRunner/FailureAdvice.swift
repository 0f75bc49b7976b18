import LabKit

/// What to tell a learner next to a failed step. The stage's hint is about the stage's feature;
/// it misleads when the real cause lies elsewhere — a crash, a value an earlier step never kept,
/// a server that cannot be reached — so those causes are named instead, the same way in every report.
public enum FailureAdvice {
    /// The advice for `step`, a failed step of a stage whose hint is `stageHint`; `nil` when the
    /// transport error's own hint already says what to do.
    public static func hint(for step: StepVerdict, stageHint: String) -> String? {
        if let blocker = step.blockedBy {
            return "blocked by an earlier failure: this step needs a value that '\(blocker)' should have kept. "
                + "Fix that step first; this stage's own hint does not apply yet."
        }
        if step.exchange?.transportError != nil { return nil }
        if let status = step.exchange?.response?.status, status >= 500 {
            return "your server failed while answering (\(status)): its log — the terminal where it runs — shows the error "
                + "and the line it came from. Once it answers, this stage's hint applies: \(stageHint)"
        }
        return stageHint
    }

    /// How a recorded answer's body is shown: an HTML page as its title and first lines of text,
    /// anything else as it came (cut to a readable size).
    public static func bodyLines(of response: RecordedResponse) -> [String] {
        if let page = response.pageSummary {
            return ["an HTML page (\(response.bodyBytes) bytes), in short:"] + page.map { "  " + $0 }
        }
        guard !response.body.isEmpty else { return [] }
        return [response.body + (response.truncated ? " … (\(response.bodyBytes) bytes in all, cut)" : "")]
    }

    /// The line that says how to replay a run with `command`: against fresh data, because what the
    /// first run created (a user, a title) is taken the second time.
    public static func replayLine(_ command: String) -> String {
        "Replay exactly this run against fresh data (restart your server on an empty database, or values it "
            + "registered last time answer 409): \(command)"
    }
}
