/// What importing an archive changes, worked out before anything is written, so a dry run and a
/// real import agree. The rules: for progress, notes and SQL practice the newer change wins (a
/// tie keeps what is here); quiz attempts and lab runs are added once, by id; a question already
/// on the review schedule keeps its place. Importing the same file twice therefore changes nothing.
public struct ImportPlan: Sendable, Equatable {
    /// How one section of the file fared.
    public struct Count: Sendable, Equatable {
        public var added = 0
        public var updated = 0
        public var unchanged = 0

        public init() {}
    }

    /// Records to write: upserts for progress, notes and SQL practice; inserts for the rest.
    public var progress: [LearnerArchive.Progress] = []
    public var notes: [Note] = []
    public var quizAttempts: [LearnerArchive.QuizAttempt] = []
    public var reviewSchedule: [ReviewItem] = []
    public var labRuns: [StoredLabRun] = []
    public var sqlExercises: [ExerciseProgress] = []
    /// One line per change, in words: what a preview lists.
    public var changes: [String] = []
    /// Per section of the file (the export's names), how many records were added, updated or left.
    public var counts: [String: Count] = [:]

    public var isEmpty: Bool { changes.isEmpty }

    public static func merging(_ incoming: LearnerArchive, into current: LearnerArchive) -> ImportPlan {
        var plan = ImportPlan()
        for name in ["progress", "notes", "quizAttempts", "reviewSchedule", "labRuns", "sqlExercises"] { plan.counts[name] = Count() }

        let progress = Dictionary(current.progress.map { ($0.topicID, $0) }, uniquingKeysWith: { first, _ in first })
        for entry in incoming.progress {
            if let here = progress[entry.topicID] {
                guard entry.updatedAt > here.updatedAt else {
                    plan.counts["progress"]?.unchanged += 1
                    continue
                }
                plan.counts["progress"]?.updated += 1
                plan.changes.append("Progress on \(entry.topicID): \(here.state.rawValue) → \(entry.state.rawValue) (the file's change is newer).")
            } else {
                plan.counts["progress"]?.added += 1
                plan.changes.append("Progress on \(entry.topicID): \(entry.state.rawValue) (new here).")
            }
            plan.progress.append(entry)
        }

        let notes = Dictionary(current.notes.map { ($0.topicID, $0) }, uniquingKeysWith: { first, _ in first })
        for note in incoming.notes {
            if let here = notes[note.topicID] {
                guard note.updatedAt > here.updatedAt else {
                    plan.counts["notes"]?.unchanged += 1
                    continue
                }
                plan.counts["notes"]?.updated += 1
                plan.changes.append("Note on \(note.topicID): replaced by the file's newer note.")
            } else {
                plan.counts["notes"]?.added += 1
                plan.changes.append("Note on \(note.topicID): added.")
            }
            plan.notes.append(note)
        }

        let attempts = Set(current.quizAttempts.map(\.id))
        for attempt in incoming.quizAttempts {
            guard !attempts.contains(attempt.id) else {
                plan.counts["quizAttempts"]?.unchanged += 1
                continue
            }
            plan.counts["quizAttempts"]?.added += 1
            plan.quizAttempts.append(attempt)
            plan.changes.append(
                "Quiz attempt on \(attempt.topicID), \(attempt.correct) of \(attempt.total) on \(ExportTime.day(milliseconds: attempt.takenAt * 1000)): added."
            )
        }

        let scheduled = Set(current.reviewSchedule.map { $0.topicID + "\u{0}" + $0.promptHash })
        for item in incoming.reviewSchedule {
            guard !scheduled.contains(item.topicID + "\u{0}" + item.promptHash) else {
                plan.counts["reviewSchedule"]?.unchanged += 1
                continue
            }
            plan.counts["reviewSchedule"]?.added += 1
            plan.reviewSchedule.append(item)
            plan.changes.append(
                "Review of question \(item.questionIndex + 1) on \(item.topicID), due \(ExportTime.day(milliseconds: item.dueAt * 1000)): added.")
        }

        let runs = Set(current.labRuns.map(\.run.id))
        for stored in incoming.labRuns {
            guard !runs.contains(stored.run.id) else {
                plan.counts["labRuns"]?.unchanged += 1
                continue
            }
            let run = stored.run
            plan.counts["labRuns"]?.added += 1
            plan.labRuns.append(stored)
            plan.changes.append(
                "Lab run of \(run.labID) on \(ExportTime.day(milliseconds: run.finishedAt * 1000)), \(run.passed ? "passed" : "\(run.stagesPassed) of \(run.stageCount) stages"): added."
            )
        }

        let exercises = Dictionary(current.sqlExercises.map { ($0.exerciseID, $0) }, uniquingKeysWith: { first, _ in first })
        for exercise in incoming.sqlExercises {
            guard let here = exercises[exercise.exerciseID] else {
                plan.counts["sqlExercises"]?.added += 1
                plan.sqlExercises.append(exercise)
                plan.changes.append("SQL exercise \(exercise.exerciseID): \(exercise.solved ? "solved" : "tried") (new here).")
                continue
            }
            let merged = merge(exercise, into: here)
            guard merged != here else {
                plan.counts["sqlExercises"]?.unchanged += 1
                continue
            }
            plan.counts["sqlExercises"]?.updated += 1
            plan.sqlExercises.append(merged)
            plan.changes.append("SQL exercise \(exercise.exerciseID): \(merged.solved ? "solved" : "tried"), last query from the newer of the two.")
        }
        return plan
    }

    /// The newer attempt's query and count; solved if either solved it, since the earlier solve.
    static func merge(_ incoming: ExerciseProgress, into here: ExerciseProgress) -> ExerciseProgress {
        let newer = incoming.updatedAt > here.updatedAt ? incoming : here
        let solvedAt = [incoming.solvedAt, here.solvedAt].compactMap { $0 }.min()
        return ExerciseProgress(
            exerciseID: here.exerciseID, solved: incoming.solved || here.solved, attempts: newer.attempts, lastQuery: newer.lastQuery,
            solvedAt: solvedAt, updatedAt: newer.updatedAt)
    }
}
