import Curriculum
import Storage

extension ProgressState {
    /// How a state reads on a page.
    var label: String {
        switch self {
        case .todo: "To do"
        case .learning: "Learning"
        case .done: "Done"
        case .skipped: "Skipped"
        }
    }
}

/// What the roadmap page shows.
struct RoadmapPageModel {
    struct Overall {
        let done: Int
        let total: Int
        let skipped: Int
        let hasSkipped: Bool
        let percent: Int
    }

    struct StageRow {
        let id: String
        let number: Int
        let title: String
        let summary: String
        let done: Int
        let total: Int
        let percent: Int
        let topics: [TopicRow]
    }

    struct TopicRow {
        let id: String
        let title: String
        let summary: String
        let state: String
        let stateLabel: String
        /// The learner passed a lab that checks this topic.
        let verified: Bool
    }

    let showSignInHint: Bool
    let overall: Overall
    let stages: [StageRow]

    init(_ roadmap: LearnerRoadmap, verified: Set<String>, showSignInHint: Bool) {
        self.showSignInHint = showSignInHint
        overall = Overall(done: roadmap.overall.done, total: roadmap.overall.total, skipped: roadmap.overall.skipped,
                          hasSkipped: roadmap.overall.skipped > 0, percent: roadmap.overall.percent)
        stages = roadmap.stages.enumerated().map { index, entry in
            StageRow(
                id: entry.stage.id, number: index + 1, title: entry.stage.title, summary: entry.stage.summary,
                done: entry.counts.done, total: entry.counts.total, percent: entry.counts.percent,
                topics: entry.topics.map {
                    TopicRow(id: $0.topic.id, title: $0.topic.title, summary: $0.topic.summary,
                             state: $0.state.rawValue, stateLabel: $0.state.label, verified: verified.contains($0.topic.id))
                }
            )
        }
    }
}

/// What a topic page shows.
struct TopicPageModel {
    struct StateChoice {
        let value: String
        let label: String
        let current: Bool
    }

    struct ResourceRow {
        let kind: String
        let title: String
        let url: String
    }

    let id: String
    let title: String
    let summary: String
    let estimate: String?
    let stageID: String
    let stageTitle: String
    let state: String
    let stateLabel: String
    let canChangeState: Bool
    let stateChoices: [StateChoice]
    let lessonHTML: String
    let resources: [ResourceRow]
    let seenIn: [String]
    let hasSeenIn: Bool
    let quiz: TopicQuizLink?
    let labs: TopicLabsModel

    init(topic: Topic, stageTitle: String, state: ProgressState, canChangeState: Bool, quiz: TopicQuizLink?, labs: TopicLabsModel) {
        id = topic.id
        title = topic.title
        summary = topic.summary
        estimate = topic.estimate
        stageID = topic.stageID
        self.stageTitle = stageTitle
        self.state = state.rawValue
        stateLabel = state.label
        self.canChangeState = canChangeState
        stateChoices = ProgressState.allCases.map { StateChoice(value: $0.rawValue, label: $0.label, current: $0 == state) }
        lessonHTML = topic.lessonHTML
        resources = topic.resources.map { ResourceRow(kind: $0.kind.rawValue, title: $0.title, url: $0.url) }
        seenIn = topic.seenIn
        hasSeenIn = !topic.seenIn.isEmpty
        self.quiz = quiz
        self.labs = labs
    }
}
