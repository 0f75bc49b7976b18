import Foundation
import Synchronization

/// SQL practice as the web app and the CLI use it: the exercises in difficulty order, the dataset
/// they run on, and the grader.
public final class SQLPractice: Sendable {
    public let exercises: [Exercise]
    public let grader: Grader
    private let sizes = Mutex<[String: Int]?>(nil)

    public init(exercises: [Exercise], grader: Grader) {
        self.exercises = exercises
        self.grader = grader
    }

    /// Loads the exercises in `exercisesDirectory` (throwing every problem found) and prepares the
    /// dataset in `dataDirectory`, which is built at first use.
    public static func load(
        exercisesDirectory: URL, dataDirectory: URL, knownTopics: Set<String>? = nil,
        limits: SandboxLimits = SandboxLimits()
    ) throws(InvalidExercises) -> SQLPractice {
        let exercises = try ExerciseLoader(directory: exercisesDirectory, knownTopics: knownTopics).load()
        let sandbox = Sandbox(dataset: PracticeDataset(dataDirectory: dataDirectory), limits: limits)
        return SQLPractice(exercises: exercises, grader: Grader(sandbox: sandbox))
    }

    /// Exercise `number` (1-based, as pages and the CLI count).
    public func exercise(number: Int) -> Exercise? {
        exercises.indices.contains(number - 1) ? exercises[number - 1] : nil
    }

    /// The exercises that practise topic `topicID`, in order.
    public func exercises(practising topicID: String) -> [Exercise] {
        exercises.filter { $0.topics.contains(topicID) }
    }

    /// Grades `sql`; `learner` (an account id, or a visitor's address) runs one attempt at a time.
    public func grade(_ sql: String, for exercise: Exercise, by learner: String? = nil) async throws -> AttemptResult {
        try await grader.grade(sql, for: exercise, by: learner)
    }

    /// How many rows each table of the dataset holds, by table name (building the dataset if needed).
    public func tableSizes() async throws -> [String: Int] {
        if let known = sizes.withLock({ $0 }) { return known }
        let query = ShopSchema.tables.map { "SELECT '\($0.name)', COUNT(*) FROM \($0.name)" }.joined(separator: " UNION ALL ")
        let result = try await grader.sandbox.run(SandboxRequest(sql: query, policy: .readOnly))
        guard case .success(let run) = result, let rows = run.rows?.rows else {
            throw DatasetError("cannot count the rows of the SQL practice dataset: \(result.error?.description ?? "no result")")
        }
        var counts: [String: Int] = [:]
        for row in rows {
            if case .text(let table) = row[0], case .integer(let count) = row[1] { counts[table] = Int(count) }
        }
        sizes.withLock { $0 = counts }
        return counts
    }
}
