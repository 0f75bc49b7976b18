import Curriculum
import Storage

/// What the lab pages, the lab-run API and the run launcher use.
struct LabServices: Sendable {
    let roadmap: Roadmap
    let mode: AppConfiguration.Mode
    let pages: PageRenderer
    let labs: LabCatalog
    /// The labs in learning order.
    let path: LabPath
    let labRuns: any LabRunRepository
    /// Lab runs in progress on any instance, for pages that follow them live.
    let liveRuns: LiveRuns
    /// Lab runs started per learner (team mode), so a shared server cannot be used to flood a target.
    let labRunsPerLearner: RateLimit
    /// Runs uploaded per learner, so one token cannot fill the database.
    let uploadsPerLearner: RateLimit
    let standing: LearnerStanding
}
