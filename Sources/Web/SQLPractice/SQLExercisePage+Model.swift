import Learning
import SQLPractice
import Storage

/// What an exercise page shows: the task and how it is checked, hints on request, the editor with
/// the learner's SQL, the result of the last run, the explanation once solved, and the schema.
struct SQLExercisePageModel {
    /// A hint, numbered, behind its own disclosure so the learner opens one at a time.
    struct Hint {
        let number: Int
        let html: String
    }

    /// The previous or next exercise, for the links at the foot of the page.
    struct Neighbour {
        let number: Int
        let title: String
    }

    let number: Int
    let title: String
    let difficulty: String
    let theme: String
    let status: ExerciseStatus
    let promptHTML: String
    let rulesText: String
    /// The query the exercise looks at after the learner's statements (a change's check, a plan's query).
    let rulesQuery: String
    let hasRulesQuery: Bool
    let hints: [Hint]
    let query: String
    let placeholder: String
    let attempt: AttemptModel?
    let showExplanation: Bool
    let explanationHTML: String
    let reference: String
    let previous: Neighbour?
    let next: Neighbour?
    let signInToSave: Bool
    let schema: SchemaModel

    init(
        exercise: Exercise, text: ExerciseText, practice: SQLPractice, progress: ExerciseProgress?, query: String,
        result: AttemptResult?, signInToSave: Bool, schema: SchemaModel
    ) {
        number = exercise.number
        title = exercise.title
        difficulty = exercise.difficulty.rawValue.capitalized
        theme = exercise.theme
        let solved = progress?.solved == true || result?.verdict == .correct
        status = ExerciseStatus(solved: solved, attempts: progress?.attempts ?? 0)
        promptHTML = text.promptHTML
        let rules = ExerciseRules.howItIsChecked(exercise)
        rulesText = rules.text
        rulesQuery = rules.query ?? ""
        hasRulesQuery = rules.query != nil
        hints = text.hintsHTML.enumerated().map { Hint(number: $0.offset + 1, html: $0.element) }
        self.query = query
        placeholder =
            switch exercise.kind {
            case .query: "SELECT …"
            case .change: exercise.maxStatements > 1 ? "BEGIN;\n…;\nCOMMIT;" : "UPDATE … SET … WHERE …"
            case .plan: "CREATE INDEX … ON … (…)"
            }
        attempt = result.map(AttemptModel.init)
        showExplanation = solved
        explanationHTML = text.explanationHTML
        reference = exercise.reference
        previous = practice.exercise(number: exercise.number - 1).map { Neighbour(number: $0.number, title: $0.title) }
        next = practice.exercise(number: exercise.number + 1).map { Neighbour(number: $0.number, title: $0.title) }
        self.signInToSave = signInToSave
        self.schema = schema
    }
}

/// Where a learner stands on an exercise, as a badge: solved, tried (with the number of attempts), or new.
struct ExerciseStatus {
    /// "solved", "tried" or "new", for styling.
    let kind: String
    let label: String
    let isSolved: Bool
    /// Never tried: lists leave the badge out rather than repeat "Not tried" on every line.
    let isNew: Bool

    init(solved: Bool, attempts: Int) {
        isSolved = solved
        isNew = !solved && attempts == 0
        if solved {
            (kind, label) = ("solved", "Solved")
        } else if attempts > 0 {
            (kind, label) = ("tried", "Tried · \(attempts) attempt\(attempts == 1 ? "" : "s")")
        } else {
            (kind, label) = ("new", "Not tried")
        }
    }

    init(_ progress: ExerciseProgress?) {
        self.init(solved: progress?.solved ?? false, attempts: progress?.attempts ?? 0)
    }
}
