import Curriculum
import Learning
import Storage

/// The roadmap as one learner sees it: every topic with their state (a topic verified by a passed
/// lab counts as done), and how far each stage is. Pages and the JSON API both build on it, so they
/// always agree.
struct LearnerRoadmap {
    struct TopicEntry {
        let topic: Topic
        let state: ProgressState
    }

    struct StageEntry {
        let stage: Stage
        let topics: [TopicEntry]
        let counts: Counts
    }

    /// Done out of the topics not skipped; skipped topics neither help nor hurt.
    struct Counts {
        let total: Int
        let done: Int
        let skipped: Int
        let learning: Int

        init(_ states: [ProgressState]) {
            total = states.count
            done = states.filter { $0 == .done }.count
            skipped = states.filter { $0 == .skipped }.count
            learning = states.filter { $0 == .learning }.count
        }

        var percent: Int {
            let counted = total - skipped
            return counted == 0 ? (total == 0 ? 0 : 100) : done * 100 / counted
        }
    }

    let stages: [StageEntry]
    let overall: Counts
    /// What to learn next: the first topic (in roadmap order) being learned, else the first still
    /// to do; nil once every topic is done or skipped. Stages come in order, so a topic of a later
    /// stage is suggested only when the earlier stages are done or skipped.
    let next: TopicEntry?

    init(roadmap: Roadmap, states: [String: ProgressState], verified: Set<String>) {
        stages = roadmap.stages.map { stage in
            let topics = stage.topics.map {
                TopicEntry(topic: $0, state: (states[$0.id] ?? .todo).counting(verified: verified.contains($0.id)))
            }
            return StageEntry(stage: stage, topics: topics, counts: Counts(topics.map(\.state)))
        }
        overall = Counts(stages.flatMap { $0.topics.map(\.state) })
        let all = stages.flatMap(\.topics)
        next = all.first { $0.state == .learning } ?? all.first { $0.state == .todo }
    }
}
