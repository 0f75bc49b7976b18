import Curriculum
import Storage

/// What a topic page gathers: the lesson, the learner's state and note, and the quiz, labs and SQL
/// exercises that practise the topic.
struct TopicServices: Sendable {
    let roadmap: Roadmap
    let mode: AppConfiguration.Mode
    let standing: LearnerStanding
    let page: TopicPageView
    let quizzes: QuizServices
    let sqlPractice: SQLPracticeServices
    let notes: any NoteRepository
}
