import ContentKit

/// The rules of the learner's path: what each topic `requires:`, the "pick one" groups of
/// `roadmap.yaml`, and estimates. A requirement names a known topic or group of the same or an
/// earlier stage, and requirements never go round in a circle.
extension ContentValidator {
    func validatePath(stages: [ContentLoader.LoadedStage], groups: [ContentLoader.LoadedGroup], topics: [LoadedTopic]) -> [ContentProblem] {
        var problems: [ContentProblem] = []
        let roadmapFile = ContentLoader.roadmapFile
        let stageIndex = Dictionary(stages.enumerated().map { ($1.stage.id, $0) }, uniquingKeysWith: { first, _ in first })
        var topicByID: [String: Topic] = [:]
        for loaded in topics { topicByID[loaded.topic.id] = topicByID[loaded.topic.id] ?? loaded.topic }

        // The groups.
        var groupByID: [String: ContentLoader.LoadedGroup] = [:]
        var groupOfTopic: [String: String] = [:]
        for entry in groups {
            let group = entry.group
            func report(_ line: Int, _ message: String) {
                problems.append(.init(path: roadmapFile, line: line, message: message))
            }
            if group.id.isStableID == false {
                report(entry.line, "group id '\(group.id)' must be lowercase letters, digits and dashes")
            }
            if let first = groupByID[group.id] {
                report(entry.line, "duplicate group id '\(group.id)' (first at line \(first.line))")
                continue
            }
            if topicByID[group.id] != nil {
                report(entry.line, "group id '\(group.id)' is also a topic id: give the group another id, so `requires:` can name either")
            }
            groupByID[group.id] = entry
            if group.topicIDs.count < 2 {
                report(entry.line, "group '\(group.id)' lists \(group.topicIDs.count) topic(s): a \"pick one\" group needs at least two")
            }
            var stagesOfMembers = Set<String>()
            for (member, line) in zip(group.topicIDs, entry.memberLines) {
                guard let topic = topicByID[member] else {
                    report(line, "group '\(group.id)': unknown topic '\(member)'")
                    continue
                }
                stagesOfMembers.insert(topic.stageID)
                if let other = groupOfTopic[member] {
                    report(line, "topic '\(member)' is already in group '\(other)': a topic belongs to one group at most")
                } else {
                    groupOfTopic[member] = group.id
                }
            }
            if stagesOfMembers.count > 1 {
                report(
                    entry.line,
                    "group '\(group.id)' mixes topics of the stages \(stagesOfMembers.sorted().joined(separator: ", ")): a group's topics share one stage"
                )
            }
        }

        // Each topic's requirements and estimate.
        for loaded in topics {
            let topic = loaded.topic
            func report(_ line: Int, _ message: String) {
                problems.append(.init(path: topic.path, line: line, message: message))
            }
            if let estimate = topic.estimate, Estimate.minutes(estimate) == nil {
                report(loaded.lines.estimate, "estimate '\(estimate)' must be a whole number and a unit: 45m, 2h or 3d")
            }
            var seen = Set<String>()
            for (required, line) in zip(topic.requires, loaded.lines.requires) {
                if !seen.insert(required).inserted {
                    report(line, "'\(required)' is required twice")
                    continue
                }
                if required == topic.id {
                    report(line, "a topic cannot require itself")
                    continue
                }
                let requiredStage: String
                if let other = topicByID[required] {
                    requiredStage = other.stageID
                } else if let group = groupByID[required] {
                    guard let first = group.group.topicIDs.compactMap({ topicByID[$0] }).first else { continue }
                    requiredStage = first.stageID
                } else {
                    report(line, "requires unknown topic or group '\(required)' (use a topic id, or a group id from roadmap.yaml)")
                    continue
                }
                if let mine = stageIndex[topic.stageID], let theirs = stageIndex[requiredStage], theirs > mine {
                    report(
                        line,
                        "requires '\(required)' of the later stage '\(requiredStage)': a topic can only require what comes in its own stage or before"
                    )
                }
            }
        }

        // No circles: a topic leads to what it requires, a group to its topics.
        var edges: [String: [(target: String, line: Int, path: String)]] = [:]
        for loaded in topics {
            edges[loaded.topic.id, default: []] += zip(loaded.topic.requires, loaded.lines.requires)
                .filter { topicByID[$0.0] != nil || groupByID[$0.0] != nil }
                .map { (target: $0.0, line: $0.1, path: loaded.topic.path) }
        }
        for entry in groups {
            edges[entry.group.id, default: []] += zip(entry.group.topicIDs, entry.memberLines).map { (target: $0.0, line: $0.1, path: roadmapFile) }
        }
        problems += Self.cycles(in: edges, order: topics.map(\.topic.id) + groups.map(\.group.id))
        return problems
    }

    /// One problem per circle of requirements, at the requirement that closes it.
    static func cycles(in edges: [String: [(target: String, line: Int, path: String)]], order: [String]) -> [ContentProblem] {
        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [String] = []
        var problems: [ContentProblem] = []

        func visit(_ node: String) {
            marks[node] = .visiting
            stack.append(node)
            for edge in edges[node] ?? [] {
                switch marks[edge.target] {
                case .visiting:
                    let start = stack.lastIndex(of: edge.target) ?? 0
                    let circle = (stack[start...] + [edge.target]).joined(separator: " → ")
                    problems.append(
                        .init(path: edge.path, line: edge.line, message: "requirements go round in a circle: \(circle); remove one of them"))
                case .done:
                    continue
                case nil:
                    visit(edge.target)
                }
            }
            stack.removeLast()
            marks[node] = .done
        }
        for node in order where marks[node] == nil { visit(node) }
        return problems
    }
}
