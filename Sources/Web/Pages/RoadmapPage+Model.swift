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
    let sql: TopicSQLExercisesModel

    init(topic: Topic, stageTitle: String, state: ProgressState, canChangeState: Bool, quiz: TopicQuizLink?, labs: TopicLabsModel,
         sql: TopicSQLExercisesModel) {
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
        self.sql = sql
    }
}
