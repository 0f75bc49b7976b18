/// The roadmap a learner follows: stages in order, each with its topics in order.
///
/// It is loaded once from `Content/` and never changes while the server runs, so every page can
/// share it without locking.
public struct Roadmap: Sendable {
    public let stages: [Stage]
    private let topicsByID: [String: Topic]

    public init(stages: [Stage]) {
        self.stages = stages
        var byID: [String: Topic] = [:]
        for topic in stages.flatMap(\.topics) { byID[topic.id] = topic }
        self.topicsByID = byID
    }

    public var topics: [Topic] { stages.flatMap(\.topics) }

    public func topic(id: String) -> Topic? { topicsByID[id] }

    public func stage(id: String) -> Stage? { stages.first { $0.id == id } }
}

/// One step of the roadmap ("Basics of coding", "Frameworks", …).
public struct Stage: Sendable, Identifiable {
    public let id: String
    public let title: String
    public let summary: String
    public var topics: [Topic]

    public init(id: String, title: String, summary: String, topics: [Topic] = []) {
        self.id = id
        self.title = title
        self.summary = summary
        self.topics = topics
    }
}

/// A topic with its lesson: the unit a learner marks todo / learning / done / skipped.
///
/// `id` is stable forever, because stored progress is keyed by it. A class, because pages pass
/// topics around constantly and copying a dozen strings each time showed up in profiles.
public final class Topic: Sendable, Identifiable {
    public let id: String
    public let title: String
    public let stageID: String
    public let order: Int
    public let summary: String
    public let estimate: String?
    public let resources: [Resource]
    public let quiz: [QuizQuestion]
    public let labs: [String]
    public let seenIn: [String]
    /// The lesson as Markdown, as written by the author.
    public let lessonMarkdown: String
    /// The lesson rendered to HTML once at load time (content files are trusted input).
    public let lessonHTML: String
    /// The file the topic came from, relative to the content directory.
    public let path: String

    init(
        id: String, title: String, stageID: String, order: Int, summary: String, estimate: String?, resources: [Resource],
        quiz: [QuizQuestion], labs: [String], seenIn: [String], lessonMarkdown: String, lessonHTML: String, path: String
    ) {
        self.id = id
        self.title = title
        self.stageID = stageID
        self.order = order
        self.summary = summary
        self.estimate = estimate
        self.resources = resources
        self.quiz = quiz
        self.labs = labs
        self.seenIn = seenIn
        self.lessonMarkdown = lessonMarkdown
        self.lessonHTML = lessonHTML
        self.path = path
    }
}

/// A link a learner can follow to learn more; official documentation comes first.
public struct Resource: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case docs, spec, article, book, video, course, tool
    }

    public let kind: Kind
    public let title: String
    public let url: String
}

/// A quiz question: single-answer, multiple-answer, or true/false.
public struct QuizQuestion: Sendable {
    public struct Choice: Sendable {
        public let text: String
        /// Why this choice is right or wrong, shown after answering.
        public let why: String

        public init(text: String, why: String) {
            self.text = text
            self.why = why
        }
    }

    public let prompt: String
    public let choices: [Choice]
    /// Indices of the right choices.
    public let answers: [Int]
    /// Whether the learner picks every right choice (checkboxes) rather than one (radio buttons).
    /// A content file says so by giving `answer` as a list, which may hold a single index: a
    /// "choose all that apply" question with one right choice is one a reader cannot tell apart.
    public let allowsMultipleAnswers: Bool

    public init(prompt: String, choices: [Choice], answers: [Int], allowsMultipleAnswers: Bool? = nil) {
        self.prompt = prompt
        self.choices = choices
        self.answers = answers
        self.allowsMultipleAnswers = allowsMultipleAnswers ?? (answers.count > 1)
    }

    /// Two choices, "True" and "False" (in either order).
    public var isTrueFalse: Bool { choices.count == 2 && Set(choices.map(\.text)) == ["True", "False"] }
}
