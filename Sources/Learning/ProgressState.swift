/// Where a learner stands on one topic.
public enum ProgressState: String, Sendable, CaseIterable, Codable {
    case todo, learning, done, skipped
}

extension ProgressState {
    /// The state a topic counts as on the roadmap: a topic that a passed lab verified is done,
    /// whatever was stored before (passing the lab is the proof).
    public func counting(verified: Bool) -> ProgressState {
        verified ? .done : self
    }
}
