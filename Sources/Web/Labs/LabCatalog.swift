import Curriculum
import Foundation
import LabKit

/// The labs this server offers, read and validated once at start-up (a broken lab file stops the
/// server, as broken content does), each brief rendered to HTML once, like the lessons.
struct LabCatalog: Sendable {
    /// Every lab, in the order `groundwork labs list` shows them.
    let labs: [Lab]
    /// The topics each lab verifies, by lab id.
    let topicsByLab: [String: [String]]
    private let labsByID: [String: Lab]
    private let briefsByID: [String: String]

    init(labs: [Lab]) {
        self.labs = labs
        labsByID = Dictionary(labs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        topicsByLab = labsByID.mapValues(\.topics)
        briefsByID = labsByID.mapValues { Markdown.html(Self.withoutTitle($0.brief)) }
    }

    /// Reads `directory`. A topic a lab names that the roadmap lacks does not stop the server (the
    /// roadmap may have been edited; progress and verifications outlive that): pages show it
    /// unlinked, and `groundwork labs check` reports it.
    static func load(directory: URL) throws(InvalidLab) -> LabCatalog {
        let result = LabLoader(directory: directory).check()
        guard result.problems.isEmpty else { throw InvalidLab(problems: result.problems) }
        return LabCatalog(labs: result.labs)
    }

    func lab(id: String) -> Lab? { labsByID[id] }

    func briefHTML(of lab: Lab) -> String { briefsByID[lab.id] ?? "" }

    /// The labs a topic page links to: those that verify the topic, then those the topic names as
    /// related (a related lab not written yet is left out).
    func labs(for topic: Topic) -> [Lab] {
        let verifying = labs.filter { $0.topics.contains(topic.id) }
        let related = topic.labs.compactMap { labsByID[$0] }.filter { lab in !verifying.contains { $0.id == lab.id } }
        return verifying + related
    }

    /// A brief opens with `# Title`; the page shows the title already.
    private static func withoutTitle(_ markdown: String) -> String {
        let trimmed = markdown.drop { $0.isWhitespace }
        guard trimmed.hasPrefix("# ") else { return markdown }
        return String(trimmed.drop { $0 != "\n" })
    }
}
