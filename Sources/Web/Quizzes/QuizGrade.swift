import Curriculum
import Learning
import Storage

/// A learner's answers to one topic's quiz, marked: the posted form in, a verdict per question out.
///
/// A question is right only when exactly its right choices are picked (no partial credit on
/// multiple-answer questions). A question with nothing picked is unanswered and counts as wrong; so
/// does a value the form never offered, such as a choice number out of range.
struct QuizGrade {
    struct Mark {
        let index: Int
        let question: QuizQuestion
        let chosen: Set<Int>
        let isAnswered: Bool
        let isCorrect: Bool
    }

    let marks: [Mark]
    let correct: Int
    /// Numbers (1-based, as the page shows them) of the questions left blank.
    let unanswered: [Int]

    init(quiz: [QuizQuestion], fields: FormFields) {
        marks = quiz.enumerated().map { index, question in
            let chosen = Set(
                question.choices.indices.filter { choice in
                    let name = Self.fieldName(question: index, choice: question.allowsMultipleAnswers ? choice : nil)
                    return fields.first(name) == String(choice)
                })
            return Mark(
                index: index, question: question, chosen: chosen, isAnswered: !chosen.isEmpty,
                isCorrect: chosen == Set(question.answers))
        }
        correct = marks.filter(\.isCorrect).count
        unanswered = marks.filter { !$0.isAnswered }.map { $0.index + 1 }
    }

    /// What the repository stores for this attempt.
    var answers: [QuizAnswer] {
        marks.map { QuizAnswer(questionIndex: $0.index, promptHash: $0.question.promptHash, isCorrect: $0.isCorrect) }
    }

    /// The form field of a question's choice, whose value is the choice number: radio buttons share
    /// `q<question>`; each checkbox of a multiple-answer question is its own `q<question>-<choice>`.
    static func fieldName(question: Int, choice: Int?) -> String {
        choice.map { "q\(question)-\($0)" } ?? "q\(question)"
    }
}

extension QuizQuestion {
    /// Identifies the question in stored answers across content edits: SHA-256 of the prompt reduced
    /// to lower-case letters and digits, the reduction the content checker uses to refuse duplicate
    /// questions, so it is unique within a topic. Moving a question or fixing its punctuation keeps a
    /// learner's history; rewording it starts afresh. (``SecretToken/hash(_:)`` is plain SHA-256 hex.)
    var promptHash: String {
        let key = prompt.lowercased().filter { $0.isLetter || $0.isNumber }
        return SecretToken.hash(key)
    }
}
