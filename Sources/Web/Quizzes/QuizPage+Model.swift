import Curriculum
import Learning
import Storage

/// What a quiz page shows: the topic's questions as a form, and the learner's record so far.
struct QuizPageModel {
    struct ChoiceRow {
        let inputType: String
        let fieldName: String
        let fieldID: String
        let value: String
        let textHTML: String
        /// Picked in the submission being confirmed, so the learner's answers are not lost.
        let isChecked: Bool
    }

    struct QuestionRow {
        let number: Int
        let promptHTML: String
        let showChooseAll: Bool
        let isDue: Bool
        /// Left blank in the submission being confirmed.
        let isBlank: Bool
        let choices: [ChoiceRow]
    }

    /// A submission with some questions left blank, sent back before marking so nothing is shown
    /// until the learner says they meant it (a plain second button: works without JavaScript).
    struct Confirmation {
        /// "You left question 3 blank." / "You left questions 2, 4 and 5 blank."
        let text: String
        let blank: [Blank]
        /// "Answer it" / "Answer them".
        let answer: String
        /// The label of the button that marks the quiz as it is.
        let sendLabel: String
    }

    /// A blank question's number, linked, with what goes before it in "2, 3 and 5".
    struct Blank {
        let separator: String
        let number: Int
    }

    let topicID: String
    let topicTitle: String
    let stageID: String
    let stageTitle: String
    let questionCount: Int
    /// "Your best score: …", nil before the first attempt.
    let record: String?
    /// "2 questions you missed before are due for review: …", nil when none is.
    let dueNote: String?
    let signInToSave: Bool
    let questions: [QuestionRow]
    /// Why the last submission was not marked, if it was not.
    var message: String?
    /// Set when a partly blank submission is sent back to be confirmed.
    let confirmation: Confirmation?
    /// The value of the confirming button's `blank` field, which the route checks.
    static let confirmedValue = "confirmed"

    /// `orderSeed` decides the order of each question's choices (see ``Learning/ChoiceOrder``);
    /// `confirming` is a partly blank submission to show again, its answers still picked.
    init(
        topic: Topic, stageTitle: String, scores: QuizScores?, duePromptHashes: Set<String>, signInToSave: Bool, orderSeed: String,
        confirming grade: QuizGrade? = nil
    ) {
        topicID = topic.id
        topicTitle = topic.title
        stageID = topic.stageID
        self.stageTitle = stageTitle
        questionCount = topic.quiz.count
        record = scores.map(QuizWording.record)
        self.signInToSave = signInToSave
        questions = topic.quiz.enumerated().map { index, question in
            let multiple = question.allowsMultipleAnswers
            let chosen = grade?.marks[index].chosen ?? []
            return QuestionRow(
                number: index + 1,
                promptHTML: InlineCode.html(question.prompt),
                showChooseAll: multiple && !question.prompt.lowercased().contains("all that apply"),
                isDue: duePromptHashes.contains(question.promptHash),
                isBlank: grade != nil && chosen.isEmpty,
                choices: ChoiceOrder.order(count: question.choices.count, seed: orderSeed + question.promptHash).map { choice in
                    let text = question.choices[choice]
                    return ChoiceRow(
                        inputType: multiple ? "checkbox" : "radio",
                        fieldName: QuizGrade.fieldName(question: index, choice: multiple ? choice : nil),
                        fieldID: "q\(index)-choice\(choice)",
                        value: String(choice),
                        textHTML: InlineCode.html(text.text),
                        isChecked: chosen.contains(choice)
                    )
                }
            )
        }
        confirmation = grade.flatMap { grade in
            let numbers = grade.unanswered
            guard !numbers.isEmpty else { return nil }
            return Confirmation(
                text: numbers.count == 1 ? "You left question" : "You left questions",
                blank: numbers.enumerated().map { position, number in
                    Blank(separator: position == 0 ? "" : position == numbers.count - 1 ? " and " : ", ", number: number)
                },
                answer: numbers.count == 1 ? "Answer it" : "Answer them",
                sendLabel: numbers.count == 1
                    ? "Mark my answers with question \(numbers[0]) blank" : "Mark my answers with \(numbers.count) questions blank")
        }
        let due = questions.filter(\.isDue).count
        dueNote =
            due == 0
            ? nil
            : "\(QuizWording.count(due, "question")) you missed before \(due == 1 ? "is" : "are") due for review: look for the “due for review” mark."
    }
}

/// The quiz block of a topic page: how long the quiz is, the learner's best score, what is due.
struct TopicQuizLink {
    let topicID: String
    let questionCount: Int
    /// "Your best score: 4 of 5 (80%) …", nil before the first attempt.
    let record: String?
    let dueNote: String?
    let signInToSave: Bool

    init(topic: Topic, scores: QuizScores?, dueCount: Int, signInToSave: Bool) {
        topicID = topic.id
        questionCount = topic.quiz.count
        record = scores.map(QuizWording.record)
        dueNote = dueCount == 0 ? nil : "\(QuizWording.count(dueCount, "question")) you missed \(dueCount == 1 ? "is" : "are") due for review."
        self.signInToSave = signInToSave
    }
}

/// Small pieces of English the quiz pages share.
enum QuizWording {
    static func score(_ score: QuizScore) -> String { "\(score.correct) of \(score.total) (\(score.percent)%)" }

    /// The learner's standing on a quiz, in one sentence.
    static func record(_ scores: QuizScores) -> String {
        scores.attempts == 1
            ? "Your score: \(score(scores.latest)), from your only attempt so far."
            : "Your best score: \(score(scores.best)); latest: \(score(scores.latest)), \(scores.attempts) attempts in all."
    }

    static func count(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// "2", "2 and 5", "1, 2 and 5".
    static func list(_ items: [String]) -> String {
        guard let last = items.last else { return "" }
        return items.count == 1 ? last : items.dropLast().joined(separator: ", ") + " and " + last
    }
}

/// Quiz text marks code with backticks, as lessons do. This escapes all of it, then turns each
/// backtick pair into `<code>`, so questions read like their lessons and no text can inject markup.
enum InlineCode {
    static func html(_ text: String) -> String {
        let parts = text.split(separator: "`", omittingEmptySubsequences: false).map { escape(String($0)) }
        return parts.enumerated().map { index, part in
            guard index % 2 == 1 else { return part }
            // An odd backtick with no partner stays a backtick.
            return index == parts.count - 1 ? "`" + part : "<code>\(part)</code>"
        }.joined()
    }

    private static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
