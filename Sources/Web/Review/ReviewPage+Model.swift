import Curriculum
import Learning

/// What the review page shows: every question due for review, across topics, as one form.
struct ReviewPageModel {
    struct ChoiceRow {
        let inputType: String
        let fieldName: String
        let fieldID: String
        let value: String
        let textHTML: String
    }

    struct QuestionRow {
        let number: Int
        let topicID: String
        let topicTitle: String
        let promptHTML: String
        let showChooseAll: Bool
        let choices: [ChoiceRow]
    }

    let questions: [QuestionRow]
    let hasQuestions: Bool
    /// "3 questions are due for review."
    let countText: String
    /// When nothing is due: when the next question comes back, if one is waiting.
    let nextDue: String?
    /// Why the last submission was not marked, if it was not.
    var message: String?

    /// `learnerID` seeds the order of each question's choices, stable until the question is answered.
    init(queue: ReviewQueue, learnerID: String) {
        questions = queue.due.enumerated().map { position, item in
            let multiple = item.question.allowsMultipleAnswers
            let seed = "\(learnerID)/review/\(item.dueAt)/\(item.question.promptHash)"
            return QuestionRow(
                number: position + 1, topicID: item.topic.id, topicTitle: item.topic.title,
                promptHTML: InlineCode.html(item.question.prompt),
                showChooseAll: multiple && !item.question.prompt.lowercased().contains("all that apply"),
                choices: ChoiceOrder.order(count: item.question.choices.count, seed: seed).map { choice in
                    ChoiceRow(
                        inputType: multiple ? "checkbox" : "radio",
                        fieldName: ReviewGrade.fieldName(item, choice: multiple ? choice : nil),
                        fieldID: "r\(position)-choice\(choice)", value: String(choice),
                        textHTML: InlineCode.html(item.question.choices[choice].text))
                }
            )
        }
        hasQuestions = !questions.isEmpty
        let count = questions.count
        countText = count == 0 ? "Nothing is due for review." : "\(QuizWording.count(count, "question")) \(count == 1 ? "is" : "are") due for review."
        nextDue = count > 0 ? nil : queue.nextDueAt.map { "The next question comes back on \(DisplayTime.format($0))." }
    }
}

/// What the page after a review shows: each answered question marked and explained, and what is
/// still due.
struct ReviewResultModel {
    let score: String
    let questions: [QuizResultModel.QuestionRow]
    /// "2 questions are still due"; nil when nothing is.
    let stillDue: String?

    init(grade: ReviewGrade, stillDue: Int) {
        let right = grade.answered.filter(\.mark.isCorrect).count
        score = "\(right) of \(grade.answered.count) right"
        questions = grade.answered.enumerated().map { position, answered in
            QuizResultModel.QuestionRow(
                answered.mark, number: position + 1,
                fromTopic: .init(id: answered.item.topic.id, title: answered.item.topic.title))
        }
        self.stillDue = stillDue == 0 ? nil : "\(QuizWording.count(stillDue, "question")) \(stillDue == 1 ? "is" : "are") still due."
    }
}
