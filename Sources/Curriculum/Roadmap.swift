import Foundation

/// The roadmap a learner follows: stages in order, each with its topics in order.
///
/// It is loaded once from `Content/` and never changes while the server runs, so every page can
/// share it without locking.
public struct Roadmap: Sendable {
    public let stages: [Stage]
    /// The "pick one" groups (languages, frameworks, …), in the order `roadmap.yaml` lists them.
    public let groups: [TopicGroup]
    private let topicsByID: [String: Topic]
    private let groupsByID: [String: TopicGroup]
    private let groupOfTopic: [String: TopicGroup]

    public init(stages: [Stage], groups: [TopicGroup] = []) {
        self.stages = stages
        var byID: [String: Topic] = [:]
        for topic in stages.flatMap(\.topics) { byID[topic.id] = topic }
        self.topicsByID = byID
        self.groups = groups
        var groupsByID: [String: TopicGroup] = [:]
        var groupOfTopic: [String: TopicGroup] = [:]
        for group in groups {
            groupsByID[group.id] = groupsByID[group.id] ?? group
            for member in group.topicIDs { groupOfTopic[member] = groupOfTopic[member] ?? group }
        }
        self.groupsByID = groupsByID
        self.groupOfTopic = groupOfTopic
    }

    public func group(id: String) -> TopicGroup? { groupsByID[id] }

    /// The "pick one" group `topicID` belongs to, if any.
    public func group(of topicID: String) -> TopicGroup? { groupOfTopic[topicID] }

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
    /// `estimate` in minutes (`45m`, `90m`, `2h`, `3d` with a day of 8 hours); nil without one.
    public var estimateMinutes: Int? { estimate.flatMap(Estimate.minutes) }
    /// What to learn first: ids of topics or of "pick one" groups (a group is met when one of its
    /// topics is done).
    public let requires: [String]
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
        id: String, title: String, stageID: String, order: Int, summary: String, estimate: String?, requires: [String] = [],
        resources: [Resource], quiz: [QuizQuestion], labs: [String], seenIn: [String], lessonMarkdown: String, lessonHTML: String, path: String
    ) {
        self.id = id
        self.title = title
        self.stageID = stageID
        self.order = order
        self.summary = summary
        self.estimate = estimate
        self.requires = requires
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

/// Topics that are alternatives of each other ("pick one": a server language, a framework, a
/// relational database…). The group counts as done once one of its topics is done, and counts
/// once in every percentage.
public struct TopicGroup: Sendable, Identifiable {
    public let id: String
    public let title: String
    /// The member topics, in the order `roadmap.yaml` lists them.
    public let topicIDs: [String]

    public init(id: String, title: String, topicIDs: [String]) {
        self.id = id
        self.title = title
        self.topicIDs = topicIDs
    }
}

/// How long a topic takes, as its file writes it: a whole number and a unit, `m`, `h` or `d`.
public enum Estimate {
    /// Working hours in a day of `d` estimates.
    public static let hoursPerDay = 8

    public static func minutes(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let number = Int(trimmed.dropLast()), number > 0, number <= 10_000 else { return nil }
        switch unit {
        case "m": return number
        case "h": return number * 60
        case "d": return number * hoursPerDay * 60
        default: return nil
        }
    }

    /// "about 45 min", "about 3 h", "about 120 h" (rounded to the hour past one hour).
    public static func label(minutes: Int) -> String {
        if minutes < 60 { return "about \(minutes) min" }
        return "about \((minutes + 30) / 60) h"
    }
}
