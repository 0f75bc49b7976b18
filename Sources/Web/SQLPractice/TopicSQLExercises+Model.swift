import Curriculum
import Learning
import Storage

/// The SQL practice block of a topic page: the exercises that practise the topic, with the
/// learner's badge on each. A topic with many (the SQL topic has most of them) shows the next few
/// the learner has not solved, and a link to the rest.
struct TopicSQLExercisesModel {
    /// One linked exercise.
    struct Row {
        let number: Int
        let title: String
        let status: ExerciseStatus
    }

    /// Up to this many exercises are listed in full.
    static let listedInFull = 8
    static let shownOfMany = 5

    let rows: [Row]
    let hasExercises: Bool
    /// "5 of 64 solved; the next ones:"; empty when every exercise is listed.
    let summary: String
    let hasSummary: Bool

    init(topic: Topic, sqlPractice: SQLPracticeServices, learner: User?) async throws {
        let exercises = sqlPractice.practice.exercises(practising: topic.id)
        let progress = try await sqlPractice.progress(of: learner)
        let all = exercises.map { Row(number: $0.number, title: $0.title, status: ExerciseStatus(progress[$0.id])) }
        hasExercises = !all.isEmpty
        if all.count <= Self.listedInFull {
            rows = all
            summary = ""
        } else {
            let solved = all.filter(\.status.isSolved).count
            let unsolved = all.filter { !$0.status.isSolved }
            rows = Array((unsolved.isEmpty ? all : unsolved).prefix(Self.shownOfMany))
            summary = unsolved.isEmpty ? "You have solved all \(all.count). A few to revisit:" : "\(solved) of \(all.count) solved. Next up:"
        }
        hasSummary = !summary.isEmpty
    }
}
