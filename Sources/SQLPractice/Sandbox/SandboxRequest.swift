/// One attempt to run: the learner's SQL, what it may do, and the trusted queries that look at the
/// database afterwards (the state a data-change exercise is graded on, or a query plan).
public struct SandboxRequest: Sendable, Codable {
    public var sql: String
    public var policy: AccessPolicy
    public var maxStatements: Int
    public var inspections: [String]

    public init(sql: String, policy: AccessPolicy, maxStatements: Int = 1, inspections: [String] = []) {
        self.sql = sql
        self.policy = policy
        self.maxStatements = maxStatements
        self.inspections = inspections
    }
}

/// What an attempt did.
public struct SandboxRun: Sendable, Codable {
    /// The rows of the last statement that returned columns (a query, or a change with RETURNING).
    public let rows: ResultSet?
    /// Rows inserted, updated or deleted by the learner's statements.
    public let rowsChanged: Int
    /// The result of each inspection, in order.
    public let inspections: [ResultSet]
    /// Numbers (1-based) of statements that changed data outside an explicit transaction.
    public let writesOutsideTransaction: [Int]
    /// How many explicit transactions changed data.
    public let transactionsWithWrites: Int
    /// The learner began a transaction and never ended it; its changes were rolled back, as a real
    /// database does when the connection closes.
    public let transactionLeftOpen: Bool
}
