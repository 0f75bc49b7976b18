/// The verdict on one attempt, with everything a page or the CLI shows about it.
public struct AttemptResult: Sendable {
    /// Right, wrong (it ran but the result differs), or it did not run at all — the CLI's exit codes 0, 1, 2.
    public enum Verdict: String, Sendable {
        case correct, wrong, error
    }

    public let verdict: Verdict
    /// Why it is wrong, when the reason is not a row difference (an uncommitted transaction, an
    /// index the plan does not use); for a row difference see ``diff``.
    public let reason: String?
    public let diff: ResultDiff?
    /// The error, as the database or the sandbox reports it.
    public let error: SandboxError?
    /// What the attempt produced: the query's rows, the rows the exercise checks after a change, or
    /// the query plan after a new index.
    public let output: ResultSet?
    /// What ``output`` is ("Your result", "The rows checked after your statements (4 rows changed)").
    public let outputCaption: String

    static func failed(_ error: SandboxError) -> AttemptResult {
        AttemptResult(verdict: .error, reason: nil, diff: nil, error: error, output: nil, outputCaption: "")
    }

    /// Correct when `diff` is nil and there is no other reason; wrong otherwise.
    static func judged(reason: String?, diff: ResultDiff?, output: ResultSet?, caption: String) -> AttemptResult {
        AttemptResult(
            verdict: reason == nil && diff == nil ? .correct : .wrong, reason: reason, diff: diff, error: nil,
            output: output, outputCaption: caption)
    }
}
