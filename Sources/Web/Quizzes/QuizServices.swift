import Curriculum
import Storage

/// What the quiz pages use: the questions (in the roadmap) and each learner's attempts.
struct QuizServices: Sendable {
    let roadmap: Roadmap
    let pages: PageRenderer
    let quiz: any QuizRepository
}
