import Hummingbird
import Learning
import Storage

/// `/review`: every quiz question due for review, across topics, answered in one go (a plain
/// form, no JavaScript needed), then marked and explained. Answers move each question along the
/// spaced schedule as the topic's own quiz would, without counting as a quiz attempt.
struct ReviewPages {
    let services: ReviewServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/review", use: page)
        router.post("/review", use: answer)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/review", type: .normal) }
        let queue = try await ReviewQueue.load(services.quiz, learner: learner, roadmap: services.roadmap, now: WallClock.nowSeconds())
        return services.pages.render("review", title: "Review", content: ReviewPageModel(queue: queue, learnerID: learner.id), context: context)
    }

    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let learner = context.learner else { return .redirect(to: "/signin?next=/review", type: .normal) }
        let now = WallClock.nowSeconds()
        let queue = try await ReviewQueue.load(services.quiz, learner: learner, roadmap: services.roadmap, now: now)
        let grade = ReviewGrade(queue: queue, fields: try await FormFields(request, context: context))
        guard !grade.answered.isEmpty else {
            var model = ReviewPageModel(queue: queue, learnerID: learner.id)
            model.message = queue.due.isEmpty ? nil : "Answer at least one question before sending: nothing was marked."
            return services.pages.render(
                "review", title: "Review", content: model, context: context,
                status: queue.due.isEmpty ? .ok : .unprocessableContent)
        }
        for (topicID, answers) in grade.answersByTopic.sorted(by: { $0.key < $1.key }) {
            try await services.quiz.recordReview(learnerID: learner.id, topicID: topicID, answers: answers, now: now)
        }
        let after = try await ReviewQueue.load(services.quiz, learner: learner, roadmap: services.roadmap, now: now)
        return services.pages.render(
            "review-result", title: "Review results",
            content: ReviewResultModel(grade: grade, stillDue: after.due.count), context: context)
    }
}
