import Foundation

/// The export file: a versioned JSON document of a ``LearnerArchive`` (documented by
/// `docs/export.schema.json`), written by `GET /api/v1/export` and `groundwork export`, and read
/// back, checked field by field, by every import.
public enum ExportDocument {
    public static let format = "groundwork-export"
    /// The version this build writes and the only one it reads.
    public static let version: Int64 = 1
    /// The largest file an import reads (8 MiB): far above a real learner's history, far below
    /// what would strain a server.
    public static let maxBytes = 8 * 1024 * 1024
    /// A lab run's report as stored: the same bound as an uploaded run.
    public static let maxReportBytes = 256 * 1024
    /// An import stops listing problems after this many: a file this wrong needs fixing, not a longer list.
    public static let maxProblems = 200

    /// The document for `archive`, exported at `exportedAt` (milliseconds since 1970).
    public static func json(_ archive: LearnerArchive, exportedAt: Int64) -> ExportJSON {
        let archive = archive.sorted
        let progress = archive.progress.map { entry -> ExportJSON in
            .object(["topicId": .string(entry.topicID), "state": .string(entry.state.rawValue), "updatedAt": time(entry.updatedAt)])
        }
        let notes = archive.notes.map { note -> ExportJSON in
            .object([
                "topicId": .string(note.topicID), "text": .string(note.text), "updatedAt": .string(ExportTime.text(milliseconds: note.updatedAt)),
            ])
        }
        let attempts = archive.quizAttempts.map { attempt -> ExportJSON in
            let answers = attempt.answers.sorted { $0.questionIndex < $1.questionIndex }.map { answer -> ExportJSON in
                .object([
                    "questionIndex": .integer(Int64(answer.questionIndex)), "promptHash": .string(answer.promptHash),
                    "isCorrect": .bool(answer.isCorrect),
                ])
            }
            return .object([
                "id": .string(attempt.id), "topicId": .string(attempt.topicID), "correct": .integer(Int64(attempt.correct)),
                "total": .integer(Int64(attempt.total)), "takenAt": time(attempt.takenAt), "answers": .array(answers),
            ])
        }
        let schedule = archive.reviewSchedule.map { item -> ExportJSON in
            .object([
                "topicId": .string(item.topicID), "promptHash": .string(item.promptHash), "questionIndex": .integer(Int64(item.questionIndex)),
                "rightInARow": .integer(Int64(item.rightInARow)), "dueAt": time(item.dueAt),
            ])
        }
        let runs = archive.labRuns.map { stored -> ExportJSON in
            let run = stored.run
            return .object([
                "id": .string(run.id), "labId": .string(run.labID), "startedAt": time(run.startedAt), "finishedAt": time(run.finishedAt),
                "passed": .bool(run.passed), "stagesPassed": .integer(Int64(run.stagesPassed)), "stageCount": .integer(Int64(run.stageCount)),
                "source": .string(run.source.rawValue), "report": report(stored.report),
            ])
        }
        let exercises = archive.sqlExercises.map { exercise -> ExportJSON in
            .object([
                "exerciseId": .string(exercise.exerciseID), "solved": .bool(exercise.solved), "attempts": .integer(Int64(exercise.attempts)),
                "lastQuery": .string(exercise.lastQuery), "solvedAt": exercise.solvedAt.map(time) ?? .null, "updatedAt": time(exercise.updatedAt),
            ])
        }
        let activity = ActivityDay.days(of: archive).map { day -> ExportJSON in
            .object([
                "day": .string(day.day), "progressChanges": .integer(Int64(day.progressChanges)), "quizAnswers": .integer(Int64(day.quizAnswers)),
                "labRuns": .integer(Int64(day.labRuns)), "sqlExercises": .integer(Int64(day.sqlExercises)), "notes": .integer(Int64(day.notes)),
            ])
        }
        return .object([
            "format": .string(format), "version": .integer(version), "exportedAt": .string(ExportTime.text(milliseconds: exportedAt)),
            "progress": .array(progress), "notes": .array(notes), "quizAttempts": .array(attempts), "reviewSchedule": .array(schedule),
            "labRuns": .array(runs), "sqlExercises": .array(exercises), "activity": .array(activity),
        ])
    }

    /// A time stored in seconds, as the export writes it.
    private static func time(_ seconds: Int64) -> ExportJSON {
        .string(ExportTime.text(milliseconds: seconds * 1000))
    }

    /// A lab run's report as the JSON it is (stored reports are always JSON; anything else stays text).
    private static func report(_ text: String) -> ExportJSON {
        (try? ExportJSONParser.parse(Data(text.utf8))) ?? .string(text)
    }

    /// The JSON text of an export: sorted keys, indented, so equal data gives equal bytes.
    public static func text(_ archive: LearnerArchive, exportedAt: Int64) throws -> Data {
        try json(archive, exportedAt: exportedAt).text()
    }
}

/// Why a file cannot be imported: every problem found, each as `path: message`. Nothing of such
/// a file is stored.
public struct ImportProblems: Error, Sendable, Equatable {
    public let problems: [String]

    public init(_ problems: [String]) { self.problems = problems }
}

/// A file that passed every check: its archive (in the file's order) and what the learner should
/// know even so — ids this roadmap does not have, kept rather than dropped.
public struct ExportFile: Sendable {
    public let archive: LearnerArchive
    public let notices: [String]
}
