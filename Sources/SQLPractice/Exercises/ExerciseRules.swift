/// How an attempt is checked, told to the learner before they try: the same words on the practice
/// page and in `groundwork sql show`, so nobody has to guess what "correct" means.
public enum ExerciseRules {
    /// A sentence or two, and the query the exercise looks at after the learner's statements (if any).
    public static func howItIsChecked(_ exercise: Exercise) -> (text: String, query: String?) {
        let statements = exercise.maxStatements == 1 ? "one statement" : "up to \(exercise.maxStatements) statements"
        let order = exercise.ordered ? ", in the same order" : "; row order does not matter"
        switch exercise.kind {
        case .query:
            return (
                "Write one query. Its result is compared with the expected one: the same number of columns (names do not matter) and the same rows\(order).",
                nil
            )
        case .change:
            let transaction = exercise.requiresTransaction ? " Every change must happen inside one transaction: BEGIN, the changes, COMMIT." : ""
            return (
                "Write \(statements).\(transaction) They run on a fresh copy of the database; then the exercise runs the query below and compares its result with the expected one\(order).",
                exercise.check
            )
        case .plan:
            let avoid = exercise.planAvoids.map { ", without needing “\($0)”" } ?? ""
            return (
                "Write \(statements) creating an index. It runs on a fresh copy of the database; then SQLite plans the query below, and the plan must search with your index\(avoid).",
                exercise.planQuery
            )
        }
    }
}
