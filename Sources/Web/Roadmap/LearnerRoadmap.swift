import Curriculum
import Learning
import Storage

/// The roadmap as one learner sees it: every topic with their state (a topic verified by a passed
/// lab counts as done), every "pick one" group with the state it counts as, and how far each stage
/// is. Pages and the JSON API both build on it, so they always agree.
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

    /// Done out of the steps not skipped; skipped steps neither help nor hurt. A step is a topic
    /// outside any group, or a whole "pick one" group (counted once, in its state).
    struct Counts {
        let total: Int
        let done: Int
        let skipped: Int
        let learning: Int
        /// What the steps not yet done or skipped take, from the topics' estimates.
        let minutesLeft: Int

        init(_ steps: [(state: ProgressState, minutesLeft: Int)]) {
            total = steps.count
            done = steps.filter { $0.state == .done }.count
            skipped = steps.filter { $0.state == .skipped }.count
            learning = steps.filter { $0.state == .learning }.count
            minutesLeft = steps.reduce(0) { $0 + $1.minutesLeft }
        }

        var percent: Int {
            let counted = total - skipped
            return counted == 0 ? (total == 0 ? 0 : 100) : done * 100 / counted
        }
    }

    let stages: [StageEntry]
    let overall: Counts
    /// The state each "pick one" group counts as, by group id.
    let groupStates: [String: ProgressState]
    /// What to learn next: the first topic (in roadmap order) being learned, else the first still
    /// to do whose requirements are met (done or skipped) and whose group is not done yet; nil
    /// once every topic is done or skipped.
    let next: TopicEntry?

    init(roadmap: Roadmap, states: [String: ProgressState], verified: Set<String>) {
        let stateOf = { (topic: Topic) in (states[topic.id] ?? .todo).counting(verified: verified.contains(topic.id)) }
        var groupStates: [String: ProgressState] = [:]
        for group in roadmap.groups {
            groupStates[group.id] = .ofGroup(group.topicIDs.compactMap { roadmap.topic(id: $0) }.map(stateOf))
        }
        self.groupStates = groupStates

        var all: [TopicEntry] = []
        var steps: [(state: ProgressState, minutesLeft: Int)] = []
        stages = roadmap.stages.map { stage in
            let topics = stage.topics.map { TopicEntry(topic: $0, state: stateOf($0)) }
            all += topics
            var stageSteps: [(state: ProgressState, minutesLeft: Int)] = []
            var counted = Set<String>()
            for entry in topics {
                if let group = roadmap.group(of: entry.topic.id) {
                    guard counted.insert(group.id).inserted else { continue }
                    let state = groupStates[group.id] ?? .todo
                    let members = topics.filter { roadmap.group(of: $0.topic.id)?.id == group.id }
                    // Left of a group: the topic being learned, else the shortest one still open.
                    let open = members.filter { $0.state != .skipped }
                    let chosen = open.first { $0.state == .learning } ?? open.min { Self.minutes($0) < Self.minutes($1) }
                    stageSteps.append((state, state == .done || state == .skipped ? 0 : chosen.map(Self.minutes) ?? 0))
                } else {
                    stageSteps.append((entry.state, entry.state == .todo || entry.state == .learning ? Self.minutes(entry) : 0))
                }
            }
            steps += stageSteps
            return StageEntry(stage: stage, topics: topics, counts: Counts(stageSteps))
        }
        overall = Counts(steps)

        let stateByID = Dictionary(all.map { ($0.topic.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        func met(_ id: String) -> Bool {
            let state = stateByID[id] ?? groupStates[id] ?? .done
            return state == .done || state == .skipped
        }
        next =
            all.first { $0.state == .learning }
            ?? all.first { entry in
                entry.state == .todo && entry.topic.requires.allSatisfy(met)
                    && roadmap.group(of: entry.topic.id).map { groupStates[$0.id] != .done } ?? true
            }
            ?? all.first { $0.state == .todo && roadmap.group(of: $0.topic.id).map { groupStates[$0.id] != .done } ?? true }
    }

    private static func minutes(_ entry: TopicEntry) -> Int { entry.topic.estimateMinutes ?? 0 }

    /// "about 120 h left"; nil when nothing is left.
    var timeLeftLabel: String? {
        overall.minutesLeft == 0 ? nil : Estimate.label(minutes: overall.minutesLeft) + " left"
    }
}
