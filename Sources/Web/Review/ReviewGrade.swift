import Learning

/// A learner's answers on the review page, marked. Only answered questions count: one left blank
/// simply stays due (leaving a question for later is no miss).
struct ReviewGrade {
    struct Answered {
        let item: ReviewQueue.Item
        let mark: QuizGrade.Mark
    }

    let answered: [Answered]

    init(queue: ReviewQueue, fields: FormFields) {
        answered = queue.due.compactMap { item in
            let multiple = item.question.allowsMultipleAnswers
            let chosen = Set(
                item.question.choices.indices.filter { choice in
                    fields.first(Self.fieldName(item, choice: multiple ? choice : nil)) == String(choice)
                })
            guard !chosen.isEmpty else { return nil }
            let mark = QuizGrade.Mark(
                index: item.index, question: item.question, chosen: chosen, isAnswered: true,
                isCorrect: chosen == Set(item.question.answers))
            return Answered(item: item, mark: mark)
        }
    }

    /// What the repository stores, per topic.
    var answersByTopic: [String: [QuizAnswer]] {
        Dictionary(grouping: answered, by: \.item.topic.id).mapValues { marks in
            marks.map { QuizAnswer(questionIndex: $0.mark.index, promptHash: $0.mark.question.promptHash, isCorrect: $0.mark.isCorrect) }
        }
    }

    /// A question's form field, named by its topic and place so questions of different topics
    /// never share one: `<topic>:<question>` for radio buttons, `<topic>:<question>:<choice>` for
    /// each checkbox. The value is the choice number.
    static func fieldName(_ item: ReviewQueue.Item, choice: Int?) -> String {
        "\(item.topic.id):\(item.index)" + (choice.map { ":\($0)" } ?? "")
    }
}
