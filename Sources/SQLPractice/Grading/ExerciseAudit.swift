import ContentKit
import Foundation

/// Checks what only running the exercises can show: every reference passes its own exercise and
/// returns rows; an ordered exercise's reference sorts; a data-change exercise's check notices a
/// change (doing nothing must be wrong); a plan exercise is not already served by a shipped index.
/// `groundwork sql check` and the tests run it.
public enum ExerciseAudit {
    public static func problems(in practice: SQLPractice) async throws -> [ContentProblem] {
        var problems: [ContentProblem] = []
        for exercise in practice.exercises {
            func report(_ message: String) {
                problems.append(
                    ContentProblem(path: exercise.path, line: exercise.line, message: "exercise \(exercise.number) ('\(exercise.id)'): \(message)"))
            }
            let result = try await practice.grade(exercise.reference, for: exercise)
            guard result.verdict == .correct else {
                report("its reference does not pass: \(result.error?.description ?? result.reason ?? result.diff?.summary ?? "wrong")")
                continue
            }
            if exercise.kind != .plan, result.output?.rows.isEmpty ?? true {
                report("its reference returns no rows; an exercise needs a result to compare")
            }
            if exercise.ordered, exercise.reference.range(of: "ORDER BY", options: .caseInsensitive) == nil {
                report("'ordered: true' but the reference has no ORDER BY")
            }
            if exercise.kind == .change, try await practice.grade("SELECT 1", for: exercise).verdict == .correct {
                report("changing nothing passes: the 'check' query must look at the rows the change affects")
            }
            if exercise.kind == .plan, let message = try await shippedIndexesSuffice(exercise, practice) {
                report(message)
            }
        }
        return problems
    }

    /// A plan exercise must need a new index: with only the shipped ones its plan must fail.
    private static func shippedIndexesSuffice(_ exercise: Exercise, _ practice: SQLPractice) async throws -> String? {
        let request = SandboxRequest(sql: "EXPLAIN QUERY PLAN " + (exercise.planQuery ?? ""), policy: .readOnly)
        guard case .success(let run) = try await practice.grader.sandbox.run(request), let rows = run.rows?.rows else {
            return "its plan_query cannot be explained"
        }
        let plan = rows.map { $0.last?.display ?? "" }
        let shipped = ShopSchema.shippedIndexNames.sorted()
        return Grader.planProblem(plan: plan, created: shipped, avoid: exercise.planAvoids) == nil
            ? "the dataset's own indexes already give plan_query the plan asked for; pick a column without an index" : nil
    }
}
