/// Where a learner stands on one topic.
public enum ProgressState: String, Sendable, CaseIterable, Codable {
    case todo, learning, done, skipped
}
