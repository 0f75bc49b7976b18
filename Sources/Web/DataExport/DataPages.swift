import Hummingbird
import Learning

/// The "Your data" page: what the learner has here, download buttons for both exports, and an
/// import that previews what it would change before anything is stored.
struct DataPages {
    let services: DataExportServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/data", use: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/data", type: .normal) }
        let archive = try await services.transfer.archive(learnerID: learner.id)
        return services.pages.render("data", title: "Your data", content: DataPageModel(archive: archive), context: context)
    }
}

/// What the "Your data" page shows: how much the learner has, in each kind.
struct DataPageModel {
    let summary: String
    let maxMegabytes = ExportDocument.maxBytes / 1_048_576

    init(archive: LearnerArchive) {
        func count(_ number: Int, _ one: String, _ many: String) -> String { "\(number) \(number == 1 ? one : many)" }
        summary =
            "You have progress on " + count(archive.progress.count, "topic", "topics") + ", " + count(archive.notes.count, "note", "notes") + ", "
            + count(archive.quizAttempts.count, "quiz attempt", "quiz attempts") + ", " + count(archive.labRuns.count, "lab run", "lab runs")
            + " and " + count(archive.sqlExercises.count, "SQL exercise", "SQL exercises") + " tried."
    }
}
