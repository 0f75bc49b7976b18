import Foundation
import Hummingbird
import Learning
import SQLPractice
import Storage

/// The SQL practice pages: every exercise by difficulty with the learner's progress and the
/// dataset's schema; one exercise with its editor. Running an attempt is a plain form post (works
/// without JavaScript; the page's script only adds Ctrl/Cmd+Enter), answered with the same page
/// and the verdict. Anyone may practise; only a learner's attempts are kept.
struct SQLPracticePages {
    let sql: SQLPracticeServices
    let pages: PageRenderer
    let mode: AppConfiguration.Mode
    /// Attempts per learner (or visitor's address) in team mode.
    let attempts: RateLimit

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/sql", use: list)
        router.get("/sql/:number", use: exercise)
        router.post("/sql/:number", use: attempt)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let model = SQLPracticePageModel(
            exercises: sql.practice.exercises, progress: try await sql.progress(of: context.learner),
            signInToSave: context.learner == nil, schema: try await schema())
        return pages.render("sql-practice", title: "SQL practice", content: model, context: context)
    }

    @Sendable func exercise(_ request: Request, context: AppRequestContext) async throws -> Response {
        let exercise = try find(context)
        let progress = try await progress(of: context.learner, on: exercise)
        return try await page(exercise, progress: progress, query: progress?.lastQuery ?? "", result: nil, context: context)
    }

    /// Grades the posted SQL, keeps the attempt for a learner, and shows the verdict at once (no
    /// redirect: a visitor's attempt is stored nowhere to show it from).
    @Sendable func attempt(_ request: Request, context: AppRequestContext) async throws -> Response {
        let exercise = try find(context)
        let query = try await FormFields(request, context: context).first("query") ?? ""
        try await admit(context)
        let result = try await sql.practice.grade(query, for: exercise, by: context.learner?.id ?? "address:\(context.clientAddress)")
        if let learner = context.learner {
            try await sql.progress.recordAttempt(
                learnerID: learner.id, exerciseID: exercise.id, query: query,
                solved: result.verdict == .correct, now: WallClock.nowSeconds())
        }
        let progress = try await progress(of: context.learner, on: exercise)
        return try await page(exercise, progress: progress, query: query, result: result, context: context)
    }

    private func page(
        _ exercise: Exercise, progress: ExerciseProgress?, query: String, result: AttemptResult?,
        context: AppRequestContext
    ) async throws -> Response {
        let model = SQLExercisePageModel(
            exercise: exercise, text: sql.text(of: exercise), practice: sql.practice, progress: progress,
            query: query, result: result, signInToSave: context.learner == nil, schema: try await schema())
        return pages.render("sql-exercise", title: "SQL \(exercise.number): \(exercise.title)", content: model, context: context)
    }

    /// In team mode, a learner (or a visitor's address) may run 120 attempts a minute, so one person
    /// cannot keep the sandbox threads busy for everyone. The attempts are counted in the database,
    /// so the cap holds whichever instance answers.
    private func admit(_ context: AppRequestContext) async throws {
        guard mode == .team else { return }
        let key = context.learner?.id ?? "address:\(context.clientAddress)"
        if let wait = try await attempts.retryAfter(key) {
            throw UserFacingError(
                .tooManyRequests, "You have run a lot of SQL in the last minute; try again in \(wait) seconds.",
                headers: [.retryAfter: String(wait)])
        }
        try await attempts.record(key)
    }

    private func progress(of learner: User?, on exercise: Exercise) async throws -> ExerciseProgress? {
        guard let learner else { return nil }
        return try await sql.progress.progress(learnerID: learner.id, exerciseID: exercise.id)
    }

    private func schema() async throws -> SchemaModel {
        SchemaModel(sizes: try await sql.practice.tableSizes())
    }

    private func find(_ context: AppRequestContext) throws -> Exercise {
        let text = context.parameters.get("number") ?? ""
        guard let number = Int(text), let exercise = sql.practice.exercise(number: number) else {
            throw UserFacingError(
                .notFound, "There is no SQL exercise '\(text)': they are numbered 1 to \(sql.practice.exercises.count), and /sql lists them all.")
        }
        return exercise
    }
}
