import Curriculum
import Learning
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

/// What a topic page shows. ``TopicPageView`` renders it once per topic with markers where the
/// learner's parts go, so those arrive here as text; the rest comes from the topic.
struct TopicPageModel {
    struct StateChoice {
        let value: String
        let label: String
        /// `aria-pressed`: "true" on the current state's button.
        let current: String
    }

    /// A neighbouring lesson, linked at the end of this one.
    struct Neighbour {
        let id: String
        let title: String
        let stageTitle: String
    }

    struct ResourceRow {
        let kind: String
        let title: String
        let url: String
    }

    /// What differs from one learner to the next.
    struct LearnerParts {
        let state: String
        let stateLabel: String
        /// `aria-pressed` of each state's button, in `ProgressState.allCases` order.
        let pressed: [String]
        /// The quiz, SQL practice and labs blocks, as HTML (empty when the topic has none).
        let quiz: String
        let sql: String
        let labs: String
        /// The learner's note: its text for the form (escaped), as rendered HTML, and when it was saved.
        let noteText: String
        let noteHTML: String
        let noteSaved: String
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
    let quiz: String
    let sql: String
    let labs: String
    let noteText: String
    let noteHTML: String
    let noteSaved: String
    /// The lessons before and after this one in roadmap order.
    let previous: Neighbour?
    let next: Neighbour?
    let hasQuiz: Bool

    init(topic: Topic, stageTitle: String, canChangeState: Bool, learner: LearnerParts, previous: Neighbour?, next: Neighbour?) {
        id = topic.id
        title = topic.title
        summary = topic.summary
        estimate = topic.estimate
        stageID = topic.stageID
        self.stageTitle = stageTitle
        state = learner.state
        stateLabel = learner.stateLabel
        self.canChangeState = canChangeState
        stateChoices = zip(ProgressState.allCases, learner.pressed).map { StateChoice(value: $0.rawValue, label: $0.label, current: $1) }
        lessonHTML = topic.lessonHTML
        resources = topic.resources.map { ResourceRow(kind: $0.kind.rawValue, title: $0.title, url: $0.url) }
        seenIn = topic.seenIn
        hasSeenIn = !topic.seenIn.isEmpty
        quiz = learner.quiz
        sql = learner.sql
        labs = learner.labs
        noteText = learner.noteText
        noteHTML = learner.noteHTML
        noteSaved = learner.noteSaved
        self.previous = previous
        self.next = next
        hasQuiz = !topic.quiz.isEmpty
    }
}
