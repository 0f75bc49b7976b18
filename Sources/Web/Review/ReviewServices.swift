import Curriculum
import Storage

/// What the review page uses: the questions (in the roadmap) and each learner's review schedule.
struct ReviewServices: Sendable {
    let roadmap: Roadmap
    let pages: PageRenderer
    let quiz: any QuizRepository
}
