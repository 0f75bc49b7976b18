import Curriculum
import Storage

/// What the roadmap page, the roadmap API and the progress API use.
struct RoadmapServices: Sendable {
    let roadmap: Roadmap
    let mode: AppConfiguration.Mode
    let standing: LearnerStanding
    /// Review schedules, for the continue card's "due for review".
    let quiz: any QuizRepository
    /// The labs in learning order, for the continue card's next lab.
    let labPath: LabPath
    let page: RoadmapPageView
    /// What the learner did each day, for the activity calendar.
    let activity: any ActivityRepository
    /// Tells the caches of every instance which learner's data changed.
    let notices: ChangeNotices
}
