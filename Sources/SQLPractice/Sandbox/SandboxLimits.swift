/// How much one attempt may take. The defaults let every exercise's reference run with room to
/// spare and stop a runaway query long before anyone waits for it.
public struct SandboxLimits: Sendable, Codable {
    /// Each statement is interrupted after this long.
    public var timePerStatement: Duration
    /// The most rows a statement may return.
    public var maxRows: Int
    /// The most bytes of values (text and blobs as stored, 8 per number) a statement may return.
    public var maxResultBytes: Int
    /// The longest SQL text accepted, in bytes.
    public var maxSQLLength: Int
    /// The longest text or blob SQLite may build while running (stops `randomblob(1e9)` and friends).
    public var maxValueLength: Int
    /// The most memory SQLite may hold for one attempt (its own process's hard heap limit): the
    /// private copy of a data-change exercise, sorts, temporary tables, values being built.
    public var memoryPerAttempt: Int

    public init(
        timePerStatement: Duration = .seconds(2), maxRows: Int = 1_000, maxResultBytes: Int = 1_000_000,
        maxSQLLength: Int = 10_000, maxValueLength: Int = 1_000_000, memoryPerAttempt: Int = 16 << 20
    ) {
        self.timePerStatement = timePerStatement
        self.maxRows = maxRows
        self.maxResultBytes = maxResultBytes
        self.maxSQLLength = maxSQLLength
        self.maxValueLength = maxValueLength
        self.memoryPerAttempt = memoryPerAttempt
    }

    /// How long a whole attempt may take before its process is killed: the time limit of every
    /// statement and inspection it may run, plus a second for opening and copying the dataset.
    /// Statements normally stop themselves at their own limit; this bounds the rest — a single
    /// C-level call (a `printf` width of two billion) that never returns to the progress handler.
    func attemptDeadline(for request: SandboxRequest) -> Duration {
        timePerStatement * (request.maxStatements + request.inspections.count) + .seconds(1)
    }
}
