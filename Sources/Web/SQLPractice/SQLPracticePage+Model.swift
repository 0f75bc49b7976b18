import Learning
import SQLPractice
import Storage

/// What the practice page shows: the learner's overall progress, the exercises by difficulty and
/// theme with a badge each, and the dataset's schema.
struct SQLPracticePageModel {
    /// One exercise in the list.
    struct Row {
        let number: Int
        let title: String
        let status: ExerciseStatus
    }

    /// The exercises of one theme (one file), in order.
    struct Theme {
        let title: String
        let rows: [Row]
    }

    /// One difficulty, with how much of it the learner has solved.
    struct Level {
        let id: String
        let title: String
        let solvedText: String
        let themes: [Theme]
    }

    let exerciseCount: Int
    let solvedText: String
    let percent: Int
    let signInToSave: Bool
    let levels: [Level]
    let schema: SchemaModel

    init(exercises: [Exercise], progress: [String: ExerciseProgress], signInToSave: Bool, schema: SchemaModel) {
        exerciseCount = exercises.count
        let solved = exercises.filter { progress[$0.id]?.solved == true }.count
        solvedText = "You have solved \(solved) of \(exercises.count) exercises."
        percent = exercises.isEmpty ? 0 : solved * 100 / exercises.count
        self.signInToSave = signInToSave
        levels = Exercise.Difficulty.allCases.compactMap { difficulty in
            let level = exercises.filter { $0.difficulty == difficulty }
            guard !level.isEmpty else { return nil }
            var themes: [Theme] = []
            for exercise in level {
                let row = Row(number: exercise.number, title: exercise.title, status: ExerciseStatus(progress[exercise.id]))
                if themes.last?.title == exercise.theme {
                    themes[themes.count - 1] = Theme(title: exercise.theme, rows: themes[themes.count - 1].rows + [row])
                } else {
                    themes.append(Theme(title: exercise.theme, rows: [row]))
                }
            }
            let solvedHere = level.filter { progress[$0.id]?.solved == true }.count
            return Level(
                id: difficulty.rawValue, title: difficulty.rawValue.capitalized,
                solvedText: "\(solvedHere) of \(level.count) solved", themes: themes)
        }
        self.schema = schema
    }
}
