import ContentKit
import Yams

/// A topic as read from its file, with the line of each field so the validator can point at it.
struct LoadedTopic {
    struct Lines {
        var id = 1
        var stage = 1
        var resources: [Int] = []
        var resourceList = 1
        var quiz: [Int] = []
        var labs: [Int] = []
        var requires: [Int] = []
        var estimate = 1
        var seenIn: [Int] = []
        var body = 1
    }

    let topic: Topic
    let lines: Lines
}

/// Turns a topic file's front matter and body into a ``Topic``.
enum TopicParser {
    static func parse(_ file: FrontMatterFile, path: String, reader: inout FieldReader) -> LoadedTopic? {
        let node = file.node
        reader.mapping(node, known: ["id", "title", "stage", "order", "summary", "estimate", "requires", "resources", "labs", "seen_in", "quiz"])
        var lines = LoadedTopic.Lines()
        lines.id = node["id"].map(reader.line(of:)) ?? 1
        lines.stage = node["stage"].map(reader.line(of:)) ?? 1
        lines.resourceList = node["resources"].map(reader.line(of:)) ?? 1
        lines.body = file.bodyLine

        let id = reader.string("id", in: node)
        let title = reader.string("title", in: node)
        let stage = reader.string("stage", in: node)
        let order = reader.int("order", in: node, required: true)
        let summary = reader.string("summary", in: node)
        let estimate = reader.string("estimate", in: node, required: false)
        lines.estimate = node["estimate"].map(reader.line(of:)) ?? 1
        let requires = reader.strings("requires", in: node)
        lines.requires = requires.map(\.line)

        let resourceNodes = reader.sequence("resources", in: node, required: true)
        lines.resources = resourceNodes.map { reader.line(of: $0["url"] ?? $0) }
        let resources = resourceNodes.enumerated().compactMap { index, item in
            parseResource(item, number: index + 1, reader: &reader)
        }

        let quizNodes = reader.sequence("quiz", in: node, required: true)
        lines.quiz = quizNodes.map(reader.line(of:))
        let quiz = quizNodes.enumerated().compactMap { index, item in
            parseQuestion(item, number: index + 1, reader: &reader)
        }

        let labs = reader.strings("labs", in: node)
        lines.labs = labs.map(\.line)
        let seenIn = reader.strings("seen_in", in: node)
        lines.seenIn = seenIn.map(\.line)

        guard let id, let title, let stage, let order, let summary else { return nil }
        let topic = Topic(
            id: id, title: title, stageID: stage, order: order, summary: summary, estimate: estimate, requires: requires.map(\.value),
            resources: resources, quiz: quiz, labs: labs.map(\.value), seenIn: seenIn.map(\.value),
            lessonMarkdown: file.body, lessonHTML: Markdown.html(file.body), path: path
        )
        return LoadedTopic(topic: topic, lines: lines)
    }

    private static func parseResource(_ node: Node, number: Int, reader: inout FieldReader) -> Resource? {
        let context = "resource \(number): "
        reader.mapping(node, known: ["type", "title", "url"], context: context)
        guard let type = reader.string("type", in: node, context: context),
            let title = reader.string("title", in: node, context: context),
            let url = reader.string("url", in: node, context: context)
        else { return nil }
        guard let kind = Resource.Kind(rawValue: type) else {
            let kinds = Resource.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            reader.report("\(context)unknown type '\(type)' (use one of: \(kinds))", at: node["type"])
            return nil
        }
        return Resource(kind: kind, title: title, url: url)
    }

    private static func parseQuestion(_ node: Node, number: Int, reader: inout FieldReader) -> QuizQuestion? {
        let context = "question \(number): "
        reader.mapping(node, known: ["prompt", "choices", "answer"], context: context)
        let prompt = reader.string("prompt", in: node, context: context)
        let choices = reader.sequence("choices", in: node, required: true, context: context).enumerated().compactMap { index, item in
            let choiceContext = "\(context)choice \(index + 1): "
            reader.mapping(item, known: ["text", "why"], context: choiceContext)
            guard let text = reader.string("text", in: item, context: choiceContext),
                let why = reader.string("why", in: item, context: choiceContext)
            else { return nil as QuizQuestion.Choice? }
            return QuizQuestion.Choice(text: text, why: why)
        }
        let answers: [Int]
        var multiple = false
        switch node["answer"] {
        case .none:
            reader.report("\(context)missing field 'answer' (the index of the right choice, or a list of indices)", at: node)
            return nil
        case .some(let answer):
            if let single = answer.int {
                answers = [single]
            } else if let list = answer.sequence, !list.isEmpty, list.allSatisfy({ $0.int != nil }) {
                answers = list.compactMap(\.int)
                multiple = true
            } else {
                reader.report("\(context)'answer' must be a choice index (0, 1, …) or a list of them", at: answer)
                return nil
            }
        }
        guard let prompt else { return nil }
        return QuizQuestion(prompt: prompt, choices: choices, answers: answers, allowsMultipleAnswers: multiple)
    }
}
