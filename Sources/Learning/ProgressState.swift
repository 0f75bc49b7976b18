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

extension ProgressState {
    /// The state of a "pick one" group from its topics' states: done once any topic is done (one
    /// framework is enough), skipped when every topic is skipped, learning while any is being
    /// learned, else to do.
    public static func ofGroup(_ members: [ProgressState]) -> ProgressState {
        if members.contains(.done) { return .done }
        if !members.isEmpty && members.allSatisfy({ $0 == .skipped }) { return .skipped }
        if members.contains(.learning) { return .learning }
        return .todo
    }
}
