import Learning
import SQLKit

/// One learner's whole history at once, for export and import: read in full (with timestamps,
/// answers and reports the other repositories leave out) and merged in one transaction, so an
/// import either lands whole or not at all.
public protocol LearnerArchiveRepository: Sendable {
    func archive(learnerID: String) async throws -> LearnerArchive
    /// Merges `incoming` into the learner's data by ``ImportPlan``'s rules and returns the plan;
    /// with `dryRun`, or when an attempt or run id belongs to another learner (reported as
    /// ``ImportProblems``), nothing is written.
    func merge(_ incoming: LearnerArchive, learnerID: String, dryRun: Bool) async throws -> ImportPlan
}

/// ``LearnerArchiveRepository`` over SQL (the same statements on SQLite and PostgreSQL).
public struct SQLLearnerArchiveRepository: LearnerArchiveRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func archive(learnerID: String) async throws -> LearnerArchive {
        try await database.transaction { sql in try await Self.read(sql, learnerID: learnerID) }
    }

    public func merge(_ incoming: LearnerArchive, learnerID: String, dryRun: Bool) async throws -> ImportPlan {
        try await database.transaction { sql in
            let current = try await Self.read(sql, learnerID: learnerID)
            let plan = ImportPlan.merging(incoming, into: current)
            try await Self.refuseForeignIDs(sql, incoming: incoming, plan: plan, learnerID: learnerID)
            if !dryRun { try await Self.write(plan, sql, learnerID: learnerID) }
            return plan
        }
    }

    // MARK: reading

    static func read(_ sql: any SQLDatabase, learnerID: String) async throws -> LearnerArchive {
        var archive = LearnerArchive()
        archive.progress = try await sql.raw(
            "SELECT topic_id, state, updated_at FROM progress WHERE learner_id = \(bind: learnerID) ORDER BY topic_id"
        ).all().map { row in
            LearnerArchive.Progress(
                topicID: try row.decode(column: "topic_id", as: String.self),
                state: ProgressState(rawValue: try row.decode(column: "state", as: String.self)) ?? .todo,
                updatedAt: try row.decode(column: "updated_at", as: Int64.self))
        }
        archive.notes = try await sql.raw(
            "SELECT topic_id, text, updated_at FROM notes WHERE learner_id = \(bind: learnerID) ORDER BY topic_id"
        ).all().map(SQLNoteRepository.note)
        var answers: [String: [QuizAnswer]] = [:]
        for row in try await sql.raw(
            """
            SELECT a.attempt_id, a.question_index, a.prompt_hash, a.is_correct FROM quiz_answers a
            JOIN quiz_attempts q ON q.id = a.attempt_id WHERE q.learner_id = \(bind: learnerID) ORDER BY a.attempt_id, a.question_index
            """
        ).all() {
            answers[try row.decode(column: "attempt_id", as: String.self), default: []].append(
                QuizAnswer(
                    questionIndex: try row.decode(column: "question_index", as: Int.self),
                    promptHash: try row.decode(column: "prompt_hash", as: String.self),
                    isCorrect: try row.decode(column: "is_correct", as: Int.self) != 0))
        }
        archive.quizAttempts = try await sql.raw(
            "SELECT id, topic_id, correct, total, taken_at FROM quiz_attempts WHERE learner_id = \(bind: learnerID) ORDER BY taken_at, id"
        ).all().map { row in
            let id = try row.decode(column: "id", as: String.self)
            return LearnerArchive.QuizAttempt(
                id: id, topicID: try row.decode(column: "topic_id", as: String.self), correct: try row.decode(column: "correct", as: Int.self),
                total: try row.decode(column: "total", as: Int.self), takenAt: try row.decode(column: "taken_at", as: Int64.self),
                answers: answers[id] ?? [])
        }
        archive.reviewSchedule = try await sql.raw(
            """
            SELECT topic_id, question_index, prompt_hash, right_in_a_row, due_at FROM quiz_reviews
            WHERE learner_id = \(bind: learnerID) ORDER BY topic_id, prompt_hash
            """
        ).all().map { row in
            ReviewItem(
                topicID: try row.decode(column: "topic_id", as: String.self),
                questionIndex: try row.decode(column: "question_index", as: Int.self),
                promptHash: try row.decode(column: "prompt_hash", as: String.self),
                rightInARow: try row.decode(column: "right_in_a_row", as: Int.self),
                dueAt: try row.decode(column: "due_at", as: Int64.self))
        }
        archive.labRuns = try await sql.raw(
            """
            SELECT \(unsafeRaw: SQLLabRunRepository.columns), report FROM lab_runs WHERE learner_id = \(bind: learnerID) ORDER BY finished_at, id
            """
        ).all().map { StoredLabRun(run: try SQLLabRunRepository.run($0), report: try $0.decode(column: "report", as: String.self)) }
        archive.sqlExercises = try await sql.raw(
            """
            SELECT \(unsafeRaw: SQLExerciseProgressRepository.columns) FROM sql_exercise_progress WHERE learner_id = \(bind: learnerID) ORDER BY exercise_id
            """
        ).all().map(SQLExerciseProgressRepository.progress)
        return archive
    }

    // MARK: writing

    /// Attempt and run ids are the same on every server; one that another learner here already
    /// has cannot be added (and must not be overwritten), so the file is refused.
    private static func refuseForeignIDs(_ sql: any SQLDatabase, incoming: LearnerArchive, plan: ImportPlan, learnerID: String) async throws {
        var problems: [String] = []
        let attemptIDs = Set(plan.quizAttempts.map(\.id))
        let runIDs = Set(plan.labRuns.map(\.run.id))
        let takenAttempts = try await foreignIDs(sql, table: "quiz_attempts", ids: Array(attemptIDs), learnerID: learnerID)
        let takenRuns = try await foreignIDs(sql, table: "lab_runs", ids: Array(runIDs), learnerID: learnerID)
        for (index, attempt) in incoming.quizAttempts.enumerated() where takenAttempts.contains(attempt.id) {
            problems.append("quizAttempts[\(index)].id: '\(attempt.id)' is another account's attempt on this server; an import adds only your own.")
        }
        for (index, stored) in incoming.labRuns.enumerated() where takenRuns.contains(stored.run.id) {
            problems.append("labRuns[\(index)].id: '\(stored.run.id)' is another account's run on this server; an import adds only your own.")
        }
        if !problems.isEmpty { throw ImportProblems(problems) }
    }

    private static func foreignIDs(_ sql: any SQLDatabase, table: String, ids: [String], learnerID: String) async throws -> Set<String> {
        var found: Set<String> = []
        for start in stride(from: 0, to: ids.count, by: 500) {
            let chunk = ids[start..<min(start + 500, ids.count)].map { SQLBind($0) as any SQLExpression }
            let rows = try await sql.select().column("id").from(table)
                .where("id", .in, SQLGroupExpression(SQLList(chunk)))
                .where("learner_id", .notEqual, SQLBind(learnerID))
                .all()
            for row in rows { found.insert(try row.decode(column: "id", as: String.self)) }
        }
        return found
    }

    private static func write(_ plan: ImportPlan, _ sql: any SQLDatabase, learnerID: String) async throws {
        for entry in plan.progress {
            try await sql.raw(
                """
                INSERT INTO progress (learner_id, topic_id, state, updated_at)
                VALUES (\(bind: learnerID), \(bind: entry.topicID), \(bind: entry.state.rawValue), \(bind: entry.updatedAt))
                ON CONFLICT (learner_id, topic_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
                """
            ).run()
        }
        for note in plan.notes {
            try await sql.raw(
                """
                INSERT INTO notes (learner_id, topic_id, text, updated_at) VALUES (\(bind: learnerID), \(bind: note.topicID), \(bind: note.text), \(bind: note.updatedAt))
                ON CONFLICT (learner_id, topic_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at
                """
            ).run()
        }
        for attempt in plan.quizAttempts {
            try await sql.raw(
                """
                INSERT INTO quiz_attempts (id, learner_id, topic_id, correct, total, taken_at)
                VALUES (\(bind: attempt.id), \(bind: learnerID), \(bind: attempt.topicID), \(bind: attempt.correct), \(bind: attempt.total), \(bind: attempt.takenAt))
                """
            ).run()
            for answer in attempt.answers {
                try await sql.raw(
                    """
                    INSERT INTO quiz_answers (attempt_id, question_index, prompt_hash, is_correct)
                    VALUES (\(bind: attempt.id), \(bind: answer.questionIndex), \(bind: answer.promptHash), \(bind: answer.isCorrect ? 1 : 0))
                    """
                ).run()
            }
        }
        for item in plan.reviewSchedule {
            try await sql.raw(
                """
                INSERT INTO quiz_reviews (learner_id, topic_id, prompt_hash, question_index, right_in_a_row, due_at)
                VALUES (\(bind: learnerID), \(bind: item.topicID), \(bind: item.promptHash), \(bind: item.questionIndex), \(bind: item.rightInARow), \(bind: item.dueAt))
                ON CONFLICT (learner_id, topic_id, prompt_hash) DO NOTHING
                """
            ).run()
        }
        for stored in plan.labRuns {
            let run = stored.run
            try await sql.raw(
                """
                INSERT INTO lab_runs (\(unsafeRaw: SQLLabRunRepository.columns), report)
                VALUES (\(bind: run.id), \(bind: learnerID), \(bind: run.labID), \(bind: run.startedAt), \(bind: run.finishedAt),
                        \(bind: run.passed ? 1 : 0), \(bind: run.stagesPassed), \(bind: run.stageCount), \(bind: run.source.rawValue), \(bind: stored.report))
                """
            ).run()
        }
        for exercise in plan.sqlExercises {
            try await sql.raw(
                """
                INSERT INTO sql_exercise_progress (learner_id, exercise_id, solved, attempts, last_query, solved_at, updated_at)
                VALUES (\(bind: learnerID), \(bind: exercise.exerciseID), \(bind: exercise.solved ? 1 : 0), \(bind: exercise.attempts),
                        \(bind: exercise.lastQuery), \(bind: exercise.solvedAt), \(bind: exercise.updatedAt))
                ON CONFLICT (learner_id, exercise_id) DO UPDATE SET solved = excluded.solved, attempts = excluded.attempts,
                    last_query = excluded.last_query, solved_at = excluded.solved_at, updated_at = excluded.updated_at
                """
            ).run()
        }
    }
}
