import Curriculum
import LabKit
import Learning

/// The "what next?" at the top of the roadmap: the topic to learn next (following the roadmap's
/// order of stages and topics), the questions due for review, and the lab to do next, so a learner
/// who comes back never has to hunt for where they were.
struct ContinueCardModel {
    struct TopicStep {
        let id: String
        let title: String
        let summary: String
        let stageTitle: String
        /// "Continue", "Next up" or "Start here".
        let lead: String
    }

    struct LabStep {
        let id: String
        let title: String
        /// "Beginner · about 1 h"; nil when the lab file says neither.
        let effort: String?
        /// "Start here" before any lab passed, "Next lab" after.
        let lead: String
    }

    let topic: TopicStep?
    /// Every topic is done or skipped.
    let allDone: Bool
    /// "3 questions due for review"; nil when none is (or nobody is signed in).
    let review: String?
    let lab: LabStep?
    /// Questions due for review now (the navigation's count).
    let dueCount: Int

    init(roadmap: Roadmap, learner: LearnerRoadmap, dueCount: Int, nextLab: Lab?, anyLabPassed: Bool) {
        topic = learner.next.map { entry in
            let lead = entry.state == .learning ? "Continue" : learner.overall.done + learner.overall.learning == 0 ? "Start here" : "Next up"
            return TopicStep(
                id: entry.topic.id, title: entry.topic.title, summary: entry.topic.summary,
                stageTitle: roadmap.stage(id: entry.topic.stageID)?.title ?? "", lead: lead)
        }
        allDone = learner.next == nil
        self.dueCount = dueCount
        review = dueCount == 0 ? nil : "\(QuizWording.count(dueCount, "question")) due for review"
        lab = nextLab.map { LabStep(id: $0.id, title: $0.title, effort: $0.effortLabel, lead: anyLabPassed ? "Next lab" : "First lab") }
    }
}
