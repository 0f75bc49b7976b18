/// Where a learner stands on one SQL exercise.
public struct ExerciseProgress: Sendable, Equatable {
    public let exerciseID: String
    /// Solved once means solved for good: a later wrong attempt does not take it back.
    public let solved: Bool
    public let attempts: Int
    /// The SQL of the latest attempt, to put back in the editor.
    public let lastQuery: String
    /// When it was first solved (seconds since 1970).
    public let solvedAt: Int64?
    public let updatedAt: Int64

    public init(exerciseID: String, solved: Bool, attempts: Int, lastQuery: String, solvedAt: Int64?, updatedAt: Int64) {
        self.exerciseID = exerciseID
        self.solved = solved
        self.attempts = attempts
        self.lastQuery = lastQuery
        self.solvedAt = solvedAt
        self.updatedAt = updatedAt
    }
}
