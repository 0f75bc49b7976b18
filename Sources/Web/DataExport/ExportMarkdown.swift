import Curriculum
import Learning

/// The export for people: one Markdown document with the roadmap, each topic's state, quiz
/// scores and the learner's notes under their topics, then lab runs and SQL practice. Readable in
/// any editor; the JSON export is the one an import reads.
struct ExportMarkdown {
    let roadmap: Roadmap
    let archive: LearnerArchive
    let exportedAt: Int64

    var text: String {
        let progress = Dictionary(archive.progress.map { ($0.topicID, $0) }, uniquingKeysWith: { first, _ in first })
        let notes = Dictionary(archive.notes.map { ($0.topicID, $0) }, uniquingKeysWith: { first, _ in first })
        let attempts = Dictionary(grouping: archive.quizAttempts, by: \.topicID)
        let done = roadmap.topics.filter { progress[$0.id]?.state == .done }.count
        var lines = [
            "# Your Groundwork record", "",
            "Exported \(Self.minute(exportedAt)) UTC. \(done) of \(roadmap.topics.count) topics done, \(archive.notes.count) "
                + "note\(archive.notes.count == 1 ? "" : "s"), \(archive.quizAttempts.count) quiz attempt\(archive.quizAttempts.count == 1 ? "" : "s"), "
                + "\(archive.labRuns.count) lab run\(archive.labRuns.count == 1 ? "" : "s").", "",
        ]
        for stage in roadmap.stages {
            lines += ["## \(stage.title)", ""]
            for topic in stage.topics {
                lines += topicLines(
                    title: topic.title, id: topic.id, progress: progress[topic.id], note: notes[topic.id], attempts: attempts[topic.id] ?? [])
            }
        }
        let known = Set(roadmap.topics.map(\.id))
        let gone = Set(archive.progress.map(\.topicID) + archive.notes.map(\.topicID) + archive.quizAttempts.map(\.topicID)).subtracting(known)
        if !gone.isEmpty {
            lines += ["## Topics no longer in the roadmap", ""]
            for id in gone.sorted() {
                lines += topicLines(title: id, id: id, progress: progress[id], note: notes[id], attempts: attempts[id] ?? [])
            }
        }
        lines += ["## Lab runs", ""]
        if archive.labRuns.isEmpty {
            lines += ["No lab runs yet.", ""]
        } else {
            lines += ["| Lab | Result | Finished (UTC) | Where |", "| --- | --- | --- | --- |"]
            for stored in archive.sorted.labRuns.reversed() {
                let run = stored.run
                let result = run.passed ? "passed" : "\(run.stagesPassed) of \(run.stageCount) stages passed"
                lines.append(
                    "| \(Self.cell(run.labID)) | \(result) | \(Self.minute(run.finishedAt * 1000)) | \(run.source == .web ? "this server" : "uploaded") |"
                )
            }
            lines.append("")
        }
        lines += ["## SQL practice", ""]
        if archive.sqlExercises.isEmpty {
            lines += ["No SQL exercises tried yet.", ""]
        } else {
            for exercise in archive.sorted.sqlExercises {
                let state = exercise.solved ? "solved" : "not solved yet"
                lines.append("- \(exercise.exerciseID): \(state), \(exercise.attempts) attempt\(exercise.attempts == 1 ? "" : "s")")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    private func topicLines(
        title: String, id: String, progress: LearnerArchive.Progress?, note: Note?, attempts: [LearnerArchive.QuizAttempt]
    ) -> [String] {
        let state = progress?.state ?? .todo
        let box = state == .done ? "[x]" : "[ ]"
        var line = "- \(box) **\(title)** — \(state.rawValue)"
        if let progress, state != .todo { line += " (since \(Self.minute(progress.updatedAt * 1000)))" }
        var lines = [line]
        if let best = attempts.max(by: { $0.correct * $1.total < $1.correct * $0.total }) {
            lines.append("  - Quiz: best \(best.correct) of \(best.total), \(attempts.count) attempt\(attempts.count == 1 ? "" : "s")")
        }
        if let note {
            lines.append("  - Your note (\(Self.minute(note.updatedAt))):")
            lines.append("")
            lines += note.text.split(separator: "\n", omittingEmptySubsequences: false).map { "    > " + $0 }
            lines.append("")
        }
        return lines
    }

    /// `2026-12-03 17:04`.
    static func minute(_ milliseconds: Int64) -> String {
        let text = ExportTime.text(milliseconds: milliseconds)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(5))
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
