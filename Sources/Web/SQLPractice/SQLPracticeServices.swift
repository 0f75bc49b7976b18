import Curriculum
import Foundation
import Learning
import SQLPractice
import Storage

/// Where SQL practice reads its exercises and builds its dataset; `groundwork serve` sets both
/// from `--content` and `--data`.
public struct SQLPracticeConfiguration: Sendable {
    public var exercisesDirectory: String
    public var dataDirectory: String

    public init(exercisesDirectory: String = "Content/sql", dataDirectory: String = ".groundwork") {
        self.exercisesDirectory = exercisesDirectory
        self.dataDirectory = dataDirectory
    }
}

/// SQL practice as the pages need it: the exercises with their Markdown rendered once (like the
/// lessons), the grader and each learner's progress.
struct SQLPracticeServices: Sendable {
    let practice: SQLPractice
    let progress: any ExerciseProgressRepository
    private let texts: [String: ExerciseText]

    /// Reads and validates the exercises; a broken file stops the server, as broken content does.
    /// Topics an exercise names that the roadmap lacks do not (`groundwork sql check` reports them).
    /// Learners' progress is kept in `progress`.
    static func load(_ configuration: SQLPracticeConfiguration, progress: any ExerciseProgressRepository) throws(InvalidExercises)
        -> SQLPracticeServices
    {
        let practice = try SQLPractice.load(
            exercisesDirectory: URL(fileURLWithPath: configuration.exercisesDirectory),
            dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
        let texts = practice.exercises.map { exercise in
            (
                exercise.id,
                ExerciseText(
                    promptHTML: Markdown.html(exercise.prompt), hintsHTML: exercise.hints.map(Markdown.html),
                    explanationHTML: Markdown.html(exercise.explanation))
            )
        }
        return SQLPracticeServices(
            practice: practice, progress: progress,
            texts: Dictionary(texts, uniquingKeysWith: { first, _ in first }))
    }

    func text(of exercise: Exercise) -> ExerciseText {
        texts[exercise.id] ?? ExerciseText(promptHTML: "", hintsHTML: [], explanationHTML: "")
    }

    /// The learner's progress by exercise id; nothing for someone not signed in.
    func progress(of learner: User?) async throws -> [String: ExerciseProgress] {
        guard let learner else { return [:] }
        return try await progress.progress(learnerID: learner.id)
    }
}

/// An exercise's Markdown, rendered to HTML (content files are trusted input).
struct ExerciseText: Sendable {
    let promptHTML: String
    let hintsHTML: [String]
    let explanationHTML: String
}
