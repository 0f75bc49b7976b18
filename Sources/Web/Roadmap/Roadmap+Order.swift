import Curriculum

/// The order a learner meets topics in: stage after stage, each stage's topics in order. The
/// lesson's previous/next links, the quiz result's next topic and the labs page's order all
/// follow it, so every "what next?" points the same way.
extension Roadmap {
    /// The topic before and the topic after `topic` in roadmap order (nil at either end).
    func neighbours(of topic: Topic) -> (previous: Topic?, next: Topic?) {
        let all = topics
        guard let index = all.firstIndex(where: { $0.id == topic.id }) else { return (nil, nil) }
        return (index > 0 ? all[index - 1] : nil, index + 1 < all.count ? all[index + 1] : nil)
    }

    /// Each topic's place in roadmap order (0 for the first topic of the first stage), by id.
    var positions: [String: Int] {
        Dictionary(topics.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }
}
