/// Everything one learner has on a server, as an export carries it and an import merges it:
/// progress, notes, quiz attempts and the review schedule, lab runs with their reports, SQL
/// practice. Whose it is, is not part of it: an archive moves between accounts and servers.
public struct LearnerArchive: Sendable, Equatable {
    /// A topic's state and when it was last set (seconds since 1970).
    public struct Progress: Sendable, Equatable {
        public let topicID: String
        public let state: ProgressState
        public let updatedAt: Int64

        public init(topicID: String, state: ProgressState, updatedAt: Int64) {
            self.topicID = topicID
            self.state = state
            self.updatedAt = updatedAt
        }
    }

    /// One quiz attempt with every answer in it; `id` identifies it across servers.
    public struct QuizAttempt: Sendable, Equatable {
        public let id: String
        public let topicID: String
        public let correct: Int
        public let total: Int
        /// Seconds since 1970.
        public let takenAt: Int64
        public let answers: [QuizAnswer]

        public init(id: String, topicID: String, correct: Int, total: Int, takenAt: Int64, answers: [QuizAnswer]) {
            self.id = id
            self.topicID = topicID
            self.correct = correct
            self.total = total
            self.takenAt = takenAt
            self.answers = answers
        }
    }

    public var progress: [Progress]
    public var notes: [Note]
    public var quizAttempts: [QuizAttempt]
    public var reviewSchedule: [ReviewItem]
    /// Each run with its report, the JSON text of the run's steps as `groundwork check --format json` writes it.
    public var labRuns: [StoredLabRun]
    public var sqlExercises: [ExerciseProgress]

    public init(
        progress: [Progress] = [], notes: [Note] = [], quizAttempts: [QuizAttempt] = [], reviewSchedule: [ReviewItem] = [],
        labRuns: [StoredLabRun] = [], sqlExercises: [ExerciseProgress] = []
    ) {
        self.progress = progress
        self.notes = notes
        self.quizAttempts = quizAttempts
        self.reviewSchedule = reviewSchedule
        self.labRuns = labRuns
        self.sqlExercises = sqlExercises
    }

    /// The same archive in the one order an export writes, so equal data exports to equal text.
    public var sorted: LearnerArchive {
        LearnerArchive(
            progress: progress.sorted { $0.topicID < $1.topicID },
            notes: notes.sorted { $0.topicID < $1.topicID },
            quizAttempts: quizAttempts.sorted { ($0.takenAt, $0.id) < ($1.takenAt, $1.id) },
            reviewSchedule: reviewSchedule.sorted { ($0.topicID, $0.promptHash) < ($1.topicID, $1.promptHash) },
            labRuns: labRuns.sorted { ($0.run.finishedAt, $0.run.id) < ($1.run.finishedAt, $1.run.id) },
            sqlExercises: sqlExercises.sorted { $0.exerciseID < $1.exerciseID }
        )
    }

    public var isEmpty: Bool {
        progress.isEmpty && notes.isEmpty && quizAttempts.isEmpty && reviewSchedule.isEmpty && labRuns.isEmpty && sqlExercises.isEmpty
    }
}

/// What a learner did on each day (UTC), counted from the archive's timestamps: the export's
/// `activity` section. It is derived, never stored, so an import ignores it and recounts.
public struct ActivityDay: Sendable, Equatable {
    public let day: String
    public var progressChanges = 0
    public var quizAnswers = 0
    public var labRuns = 0
    public var sqlExercises = 0
    public var notes = 0

    public init(day: String) { self.day = day }

    public static func days(of archive: LearnerArchive) -> [ActivityDay] {
        var days: [String: ActivityDay] = [:]
        func count(_ seconds: Int64, _ field: WritableKeyPath<ActivityDay, Int>, by amount: Int = 1) {
            let day = ExportTime.day(milliseconds: seconds * 1000)
            days[day, default: ActivityDay(day: day)][keyPath: field] += amount
        }
        for entry in archive.progress { count(entry.updatedAt, \.progressChanges) }
        for attempt in archive.quizAttempts { count(attempt.takenAt, \.quizAnswers, by: attempt.total) }
        for run in archive.labRuns { count(run.run.finishedAt, \.labRuns) }
        for exercise in archive.sqlExercises { count(exercise.updatedAt, \.sqlExercises) }
        for note in archive.notes { count(note.updatedAt / 1000, \.notes) }
        return days.values.sorted { $0.day < $1.day }
    }
}
