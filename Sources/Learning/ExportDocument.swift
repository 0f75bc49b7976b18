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
        func time(_ seconds: Int64) -> ExportJSON { .string(ExportTime.text(milliseconds: seconds * 1000)) }
        func report(_ text: String) -> ExportJSON {
            (try? JSONDecoder().decode(ExportJSON.self, from: Data(text.utf8))) ?? .string(text)
        }
        return .object([
            "format": .string(format),
            "version": .integer(version),
            "exportedAt": .string(ExportTime.text(milliseconds: exportedAt)),
            "progress": .array(
                archive.progress.map {
                    .object(["topicId": .string($0.topicID), "state": .string($0.state.rawValue), "updatedAt": time($0.updatedAt)])
                }),
            "notes": .array(
                archive.notes.map {
                    .object([
                        "topicId": .string($0.topicID), "text": .string($0.text), "updatedAt": .string(ExportTime.text(milliseconds: $0.updatedAt)),
                    ])
                }),
            "quizAttempts": .array(
                archive.quizAttempts.map { attempt in
                    .object([
                        "id": .string(attempt.id), "topicId": .string(attempt.topicID), "correct": .integer(Int64(attempt.correct)),
                        "total": .integer(Int64(attempt.total)), "takenAt": time(attempt.takenAt),
                        "answers": .array(
                            attempt.answers.sorted { $0.questionIndex < $1.questionIndex }.map {
                                .object([
                                    "questionIndex": .integer(Int64($0.questionIndex)), "promptHash": .string($0.promptHash),
                                    "isCorrect": .bool($0.isCorrect),
                                ])
                            }),
                    ])
                }),
            "reviewSchedule": .array(
                archive.reviewSchedule.map {
                    .object([
                        "topicId": .string($0.topicID), "promptHash": .string($0.promptHash), "questionIndex": .integer(Int64($0.questionIndex)),
                        "rightInARow": .integer(Int64($0.rightInARow)), "dueAt": time($0.dueAt),
                    ])
                }),
            "labRuns": .array(
                archive.labRuns.map { stored in
                    let run = stored.run
                    return .object([
                        "id": .string(run.id), "labId": .string(run.labID), "startedAt": time(run.startedAt), "finishedAt": time(run.finishedAt),
                        "passed": .bool(run.passed), "stagesPassed": .integer(Int64(run.stagesPassed)),
                        "stageCount": .integer(Int64(run.stageCount)), "source": .string(run.source.rawValue), "report": report(stored.report),
                    ])
                }),
            "sqlExercises": .array(
                archive.sqlExercises.map {
                    .object([
                        "exerciseId": .string($0.exerciseID), "solved": .bool($0.solved), "attempts": .integer(Int64($0.attempts)),
                        "lastQuery": .string($0.lastQuery), "solvedAt": $0.solvedAt.map(time) ?? .null, "updatedAt": time($0.updatedAt),
                    ])
                }),
            "activity": .array(
                ActivityDay.days(of: archive).map {
                    .object([
                        "day": .string($0.day), "progressChanges": .integer(Int64($0.progressChanges)),
                        "quizAnswers": .integer(Int64($0.quizAnswers)), "labRuns": .integer(Int64($0.labRuns)),
                        "sqlExercises": .integer(Int64($0.sqlExercises)), "notes": .integer(Int64($0.notes)),
                    ])
                }),
        ])
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
