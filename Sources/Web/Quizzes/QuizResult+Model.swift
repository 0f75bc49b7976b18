import Curriculum
import Learning
import Storage

/// What the page after a quiz shows: the score, whether it was kept, and for every question the
/// verdict, the right choices, what the learner picked and why each choice is right or wrong.
struct QuizResultModel {
    struct ChoiceRow {
        let textHTML: String
        let whyHTML: String
        let isAnswer: Bool
        /// "✓ Right answer — you chose it", "✗ Your choice — not right", …; nil for a wrong choice left alone.
        let verdict: String?
        /// `right-chosen`, `right-missed`, `wrong-chosen` or `plain`: the choice's CSS class, so
        /// right and wrong look different, not only read different.
        let kind: String
    }

    /// Where to go after the quiz: the next topic in roadmap order.
    struct NextTopic {
        let id: String
        let title: String
    }

    /// One marked question (the `quiz-marked-question` template, which the review page uses too).
    struct QuestionRow {
        /// The topic a question on the review page comes from; nil on a topic's own quiz.
        struct FromTopic {
            let id: String
            let title: String
        }

        let number: Int
        let promptHTML: String
        let outcome: String
        let isCorrect: Bool
        let fromTopic: FromTopic?
        let choices: [ChoiceRow]

        init(_ mark: QuizGrade.Mark, number: Int, fromTopic: FromTopic? = nil) {
            self.number = number
            promptHTML = InlineCode.html(mark.question.prompt)
            outcome = mark.isCorrect ? "Right" : mark.isAnswered ? "Wrong" : "Unanswered (counts as wrong)"
            isCorrect = mark.isCorrect
            self.fromTopic = fromTopic
            choices = mark.question.choices.enumerated().map { index, choice in
                let isAnswer = mark.question.answers.contains(index)
                let wasChosen = mark.chosen.contains(index)
                return ChoiceRow(
                    textHTML: InlineCode.html(choice.text), whyHTML: InlineCode.html(choice.why),
                    isAnswer: isAnswer, verdict: QuizResultModel.verdict(isAnswer: isAnswer, wasChosen: wasChosen),
                    kind: QuizResultModel.kind(isAnswer: isAnswer, wasChosen: wasChosen))
            }
        }
    }

    /// A blank question's number, linked, with what goes before it in "2, 3 and 5".
    struct Unanswered {
        let separator: String
        let number: Int
    }

    let topicID: String
    let topicTitle: String
    let stageID: String
    let stageTitle: String
    let score: String
    let allRight: Bool
    /// "Saved. Your best score: …"; nil when nothing was saved.
    let savedNote: String?
    let signInToSave: Bool
    let unanswered: [Unanswered]
    let hasUnanswered: Bool
    /// "You left question" or "You left questions"; the numbers follow, then `unansweredEnd`.
    let unansweredStart: String
    let unansweredEnd: String
    /// When missed questions come back; nil when none was missed or nothing was saved.
    let reviewNote: String?
    let questions: [QuestionRow]
    /// Nil after the last topic of the roadmap.
    let nextTopic: NextTopic?

    init(topic: Topic, stageTitle: String, grade: QuizGrade, scores: QuizScores?, signInToSave: Bool, next: Topic?) {
        topicID = topic.id
        topicTitle = topic.title
        stageID = topic.stageID
        self.stageTitle = stageTitle
        let attempt = QuizScore(correct: grade.correct, total: grade.marks.count, takenAt: WallClock.nowSeconds())
        score = "\(attempt.correct) of \(attempt.total) right (\(attempt.percent)%)"
        allRight = attempt.correct == attempt.total
        savedNote = scores.map { "Saved. " + QuizWording.record($0) }
        self.signInToSave = signInToSave
        let blank = grade.unanswered.count
        unanswered = grade.unanswered.enumerated().map { position, number in
            Unanswered(separator: position == 0 ? "" : position == blank - 1 ? " and " : ", ", number: number)
        }
        hasUnanswered = blank > 0
        unansweredStart = blank == 1 ? "You left question" : "You left questions"
        unansweredEnd = blank == 1 ? "blank; it counts as wrong." : "blank; they count as wrong."
        let days = ReviewSchedule.intervalDays.map(String.init)
        reviewNote =
            scores == nil || allRight
            ? nil
            : "The questions you missed come back for review in \(days[0]) day, then after \(QuizWording.list(Array(days.dropFirst()))) days while you keep answering them right."
        questions = grade.marks.map { QuestionRow($0, number: $0.index + 1) }
        nextTopic = next.map { NextTopic(id: $0.id, title: $0.title) }
    }

    private static func kind(isAnswer: Bool, wasChosen: Bool) -> String {
        switch (isAnswer, wasChosen) {
        case (true, true): "right-chosen"
        case (true, false): "right-missed"
        case (false, true): "wrong-chosen"
        case (false, false): "plain"
        }
    }

    private static func verdict(isAnswer: Bool, wasChosen: Bool) -> String? {
        switch (isAnswer, wasChosen) {
        case (true, true): "✓ Right answer — you chose it"
        case (true, false): "✓ Right answer — you did not choose it"
        case (false, true): "✗ Your choice — not right"
        case (false, false): nil
        }
    }
}
