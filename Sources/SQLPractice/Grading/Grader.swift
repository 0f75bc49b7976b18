import Synchronization

/// Grades attempts: runs the learner's SQL in the sandbox, runs the exercise's reference the same
/// way (once, then remembered: the dataset never changes), and compares what each produced.
public final class Grader: Sendable {
    public let sandbox: Sandbox
    /// What each exercise's reference produced, by exercise id.
    private let expected = Mutex<[String: ResultSet]>([:])

    public init(sandbox: Sandbox) {
        self.sandbox = sandbox
    }

    /// Grades `sql` as an answer to `exercise`, one attempt at a time for `learner` when given
    /// (see ``Sandbox/run(_:by:)``). Throws only when the dataset is unusable, the task is
    /// cancelled, or the exercise's own reference fails (an authoring mistake).
    public func grade(_ sql: String, for exercise: Exercise, by learner: String? = nil) async throws -> AttemptResult {
        switch exercise.kind {
        case .query: try await gradeQuery(sql, exercise, learner)
        case .change: try await gradeChange(sql, exercise, learner)
        case .plan: try await gradePlan(sql, exercise, learner)
        }
    }

    private func gradeQuery(_ sql: String, _ exercise: Exercise, _ learner: String?) async throws -> AttemptResult {
        let request = SandboxRequest(sql: sql, policy: .readOnly, maxStatements: exercise.maxStatements)
        switch try await sandbox.run(request, by: learner) {
        case .failure(let error):
            return .failed(error)
        case .success(let run):
            let rows = run.rows ?? ResultSet(columns: [], rows: [])
            let diff = ResultComparison.diff(yours: rows, expected: try await expectedResult(for: exercise), ordered: exercise.ordered)
            return .judged(reason: nil, diff: diff, output: rows, caption: "Your result")
        }
    }

    private func gradeChange(_ sql: String, _ exercise: Exercise, _ learner: String?) async throws -> AttemptResult {
        let request = SandboxRequest(sql: sql, policy: .dataChanges, maxStatements: exercise.maxStatements, inspections: [exercise.check ?? ""])
        switch try await sandbox.run(request, by: learner) {
        case .failure(let error):
            return .failed(error)
        case .success(let run):
            let state = run.inspections[0]
            let caption = "The rows this exercise checks after your statements (\(run.rowsChanged) row\(run.rowsChanged == 1 ? "" : "s") changed)"
            let diff = ResultComparison.diff(yours: state, expected: try await expectedResult(for: exercise), ordered: exercise.ordered)
            return .judged(reason: Self.transactionProblem(run, exercise), diff: diff, output: state, caption: caption)
        }
    }

    private func gradePlan(_ sql: String, _ exercise: Exercise, _ learner: String?) async throws -> AttemptResult {
        let request = SandboxRequest(
            sql: sql, policy: .createIndexes, maxStatements: exercise.maxStatements,
            inspections: ["EXPLAIN QUERY PLAN " + (exercise.planQuery ?? ""), Self.indexesQuery])
        switch try await sandbox.run(request, by: learner) {
        case .failure(let error):
            return .failed(error)
        case .success(let run):
            let plan = ResultSet(columns: ["plan"], rows: run.inspections[0].rows.map { [$0.last ?? .null] })
            let created = run.inspections[1].rows.compactMap { row -> String? in
                guard case .text(let name) = row.first, !ShopSchema.shippedIndexNames.contains(name) else { return nil }
                return name
            }
            return .judged(
                reason: Self.planProblem(plan: plan.rows.map { $0[0].display }, created: created, avoid: exercise.planAvoids),
                diff: nil, output: plan, caption: "The plan of the exercise's query after your statement")
        }
    }

    static let indexesQuery = "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"

    /// What the reference produced: its rows, or for a change the checked rows after it.
    func expectedResult(for exercise: Exercise) async throws -> ResultSet {
        if let known = expected.withLock({ $0[exercise.id] }) { return known }
        let request = SandboxRequest(
            sql: exercise.reference, policy: exercise.policy, maxStatements: exercise.maxStatements,
            inspections: exercise.check.map { [$0] } ?? [])
        let run: SandboxRun
        switch try await sandbox.run(request) {
        case .success(let success): run = success
        case .failure(let error): throw ExerciseDefect(exercise: exercise, problem: "its reference fails: \(error)")
        }
        let result = exercise.kind == .change ? run.inspections[0] : (run.rows ?? ResultSet(columns: [], rows: []))
        expected.withLock { $0[exercise.id] = result }
        return result
    }

    /// Why a data-change attempt is wrong whatever its rows: changes left uncommitted, or (where
    /// the exercise asks for a transaction) changes outside one, or split over several.
    static func transactionProblem(_ run: SandboxRun, _ exercise: Exercise) -> String? {
        if run.transactionLeftOpen {
            return "Your transaction was never committed, so its changes were rolled back when the connection closed: end it with COMMIT."
        }
        guard exercise.requiresTransaction else { return nil }
        if let statement = run.writesOutsideTransaction.first {
            return
                "Statement \(statement) changed data outside a transaction: put every change between one BEGIN and its COMMIT, so they succeed or fail together."
        }
        if run.transactionsWithWrites > 1 {
            return "Your changes are split over \(run.transactionsWithWrites) transactions: make them one, so they succeed or fail together."
        }
        return nil
    }

    /// Why a plan attempt is wrong: no index created, the plan does not use it, or it still does
    /// what the exercise wants avoided.
    static func planProblem(plan: [String], created: [String], avoid: String?) -> String? {
        guard !created.isEmpty else {
            return "You created no index: write a CREATE INDEX statement on the table and column(s) the query filters on."
        }
        // SEARCH: the index narrows the rows down; a SCAN that merely reads the index reads all of it.
        let searches = plan.contains { step in
            step.hasPrefix("SEARCH") && created.contains { step.contains("INDEX \($0) ") || step.hasSuffix("INDEX \($0)") }
        }
        guard searches else {
            return
                "The query does not search with your index (\(created.joined(separator: ", "))): its plan reads “\(plan.joined(separator: "; "))”. Index the column(s) its WHERE clause compares, first in the index."
        }
        if let avoid, plan.contains(where: { $0.contains(avoid) }) {
            return
                "The query uses your index, but its plan still needs “\(avoid)”. Put the columns in the index in the order the query needs them: the filtered column(s) first, then the sort column."
        }
        return nil
    }
}

/// An exercise whose own reference does not pass: an authoring mistake, reported with the exercise.
public struct ExerciseDefect: Error, Sendable, CustomStringConvertible {
    public let exercise: Exercise
    public let problem: String

    public var description: String { "\(exercise.path): exercise \(exercise.number) ('\(exercise.id)'): \(problem)" }
}

extension Result where Failure == SandboxError {
    var error: SandboxError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
