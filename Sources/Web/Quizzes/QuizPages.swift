import Curriculum
import Hummingbird
import Learning
import Storage

/// A topic's quiz: its questions as a plain form (works without JavaScript) and the marked result,
/// every choice explained. Anyone may take a quiz; only a learner's attempts are kept (personal
/// mode's implicit learner, or someone signed in), and a visitor is told so before and after.
struct QuizPages {
    let services: QuizServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/topics/:id/quiz", use: quiz)
        router.post("/topics/:id/quiz", use: grade)
    }

    @Sendable func quiz(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await quizPage(try findQuiz(context), context: context)
    }

    /// The quiz form; `message` says why a submission was sent back unmarked, and `confirming` is a
    /// partly blank submission shown again with its answers for the learner to finish or confirm.
    private func quizPage(_ topic: Topic, message: String? = nil, confirming: QuizGrade? = nil, context: AppRequestContext) async throws
        -> Response
    {
        var scores: QuizScores?
        var due: Set<String> = []
        if let learner = context.learner {
            scores = try await services.quiz.scores(learnerID: learner.id, topicID: topic.id)
            due = try await duePromptHashes(of: learner, topicID: topic.id)
        }
        var model = QuizPageModel(
            topic: topic, stageTitle: stageTitle(of: topic), scores: scores, duePromptHashes: due,
            signInToSave: context.learner == nil,
            orderSeed: "\(context.learner?.id ?? context.csrfToken)/\(scores?.attempts ?? 0)", confirming: confirming)
        model.message = message
        return services.pages.render(
            "quiz", title: "Quiz: \(topic.title)", content: model, context: context,
            status: message == nil ? .ok : .unprocessableContent)
    }

    /// Marks the posted answers, keeps the attempt for a learner, and shows the result at once
    /// (no redirect: a visitor's answers are stored nowhere to show them from).
    @Sendable func grade(_ request: Request, context: AppRequestContext) async throws -> Response {
        let topic = try findQuiz(context)
        let fields = try await FormFields(request, context: context)
        let grade = QuizGrade(quiz: topic.quiz, fields: fields)
        guard grade.unanswered.count < topic.quiz.count else {
            // Marking a blank form would show every right answer without an attempt at any.
            return try await quizPage(topic, message: "Answer at least one question before sending: a blank quiz is not marked.", context: context)
        }
        guard grade.unanswered.isEmpty || fields.first("blank") == QuizPageModel.confirmedValue else {
            // Marking shows every right answer, the blank questions' too: ask first, keeping what was picked.
            return try await quizPage(topic, confirming: grade, context: context)
        }
        var scores: QuizScores?
        if let learner = context.learner {
            try await services.quiz.recordAttempt(learnerID: learner.id, topicID: topic.id, answers: grade.answers, now: WallClock.nowSeconds())
            scores = try await services.quiz.scores(learnerID: learner.id, topicID: topic.id)
        }
        let model = QuizResultModel(
            topic: topic, stageTitle: stageTitle(of: topic), grade: grade, scores: scores,
            signInToSave: context.learner == nil, next: services.roadmap.neighbours(of: topic).next)
        return services.pages.render("quiz-result", title: "Quiz results: \(topic.title)", content: model, context: context)
    }

    /// The quiz block of a topic page; nil when the topic has no questions.
    func link(for topic: Topic, learner: User?) async throws -> TopicQuizLink? {
        guard !topic.quiz.isEmpty else { return nil }
        guard let learner else { return TopicQuizLink(topic: topic, scores: nil, dueCount: 0, signInToSave: true) }
        let scores = try await services.quiz.scores(learnerID: learner.id, topicID: topic.id)
        let due = try await duePromptHashes(of: learner, topicID: topic.id)
        let dueCount = topic.quiz.filter { due.contains($0.promptHash) }.count
        return TopicQuizLink(topic: topic, scores: scores, dueCount: dueCount, signInToSave: false)
    }

    /// Prompt hashes of this topic's questions due for review now (edited-away questions simply never match).
    private func duePromptHashes(of learner: User, topicID: String) async throws -> Set<String> {
        Set(try await services.quiz.due(learnerID: learner.id, now: WallClock.nowSeconds()).filter { $0.topicID == topicID }.map(\.promptHash))
    }

    private func stageTitle(of topic: Topic) -> String {
        services.roadmap.stage(id: topic.stageID)?.title ?? ""
    }

    private func findQuiz(_ context: AppRequestContext) throws -> Topic {
        let id = context.parameters.get("id") ?? ""
        guard let topic = services.roadmap.topic(id: id) else {
            throw UserFacingError(
                .notFound, "There is no topic '\(id)', so there is no quiz for it. The roadmap lists every topic; each topic page links to its quiz.")
        }
        guard !topic.quiz.isEmpty else {
            throw UserFacingError(.notFound, "The topic '\(topic.title)' has no quiz yet. Its lesson is at /topics/\(topic.id).")
        }
        return topic
    }
}
