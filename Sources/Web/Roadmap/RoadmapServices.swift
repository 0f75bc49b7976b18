import Curriculum
import Storage

/// What the roadmap page, the roadmap API and the progress API use.
struct RoadmapServices: Sendable {
    let roadmap: Roadmap
    let mode: AppConfiguration.Mode
    let standing: LearnerStanding
    let page: RoadmapPageView
    /// Tells the caches of every instance which learner's data changed.
    let notices: ChangeNotices
}
