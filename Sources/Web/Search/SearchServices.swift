import Curriculum
import Hummingbird
import LabKit
import SQLPractice
import Storage

/// What search uses: the index, and what it needs to turn a hit into a link with a title (the
/// roadmap for topics and notes, the labs, the SQL exercises and their numbers).
struct SearchServices: Sendable {
    static let resultLimit = 20

    let roadmap: Roadmap
    let pages: PageRenderer
    let index: any SearchRepository
    let labs: LabCatalog
    let exercises: [String: Exercise]
    /// The content being indexed; a search waits for it, start-up does not.
    let contentIndexed: Task<Void, any Error>

    /// Starts indexing the content this server offers (lessons, lab briefs, SQL exercises),
    /// replacing what the index held, since the content may have changed since the last start. The
    /// server listens at once; the first search waits until the index is ready.
    static func indexing(
        roadmap: Roadmap, labs: LabCatalog, sqlPractice: SQLPracticeServices, pages: PageRenderer,
        index: any SearchRepository
    ) -> SearchServices {
        let exercises = sqlPractice.practice.exercises
        let indexed = Task {
            let topics = roadmap.topics.map { topic in
                SearchDocument(kind: "topic", id: topic.id, title: topic.title, body: topic.summary + "\n" + SearchText.plain(html: topic.lessonHTML))
            }
            let labDocuments = labs.labs.map { lab in
                SearchDocument(kind: "lab", id: lab.id, title: lab.title, body: lab.summary + "\n" + SearchText.plain(html: labs.briefHTML(of: lab)))
            }
            let exerciseDocuments = exercises.map { exercise in
                SearchDocument(
                    kind: "exercise", id: exercise.id, title: exercise.title,
                    body: SearchText.plain(html: sqlPractice.text(of: exercise).promptHTML))
            }
            try await index.replaceContent(topics + labDocuments + exerciseDocuments)
        }
        return SearchServices(
            roadmap: roadmap, pages: pages, index: index, labs: labs,
            exercises: Dictionary(exercises.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            contentIndexed: indexed)
    }

    /// The best results for `text`: content, and the notes of `learnerID` alone.
    func search(_ text: String, learnerID: String?) async throws -> [SearchResult] {
        try await contentIndexed.value
        let hits = try await index.search(SearchQuery(text), learnerID: learnerID, limit: Self.resultLimit)
        return hits.compactMap(result)
    }

    /// The hit as a link; nil for what no longer has a page (a note on a topic the roadmap dropped).
    private func result(_ hit: SearchHit) -> SearchResult? {
        switch hit.kind {
        case "topic":
            roadmap.topic(id: hit.id).map { SearchResult(hit, kind: "Lesson", title: $0.title, url: "/topics/\($0.id)") }
        case "note":
            roadmap.topic(id: hit.id).map { SearchResult(hit, kind: "Your note", title: $0.title, url: "/topics/\($0.id)#note") }
        case "lab":
            labs.lab(id: hit.id).map { SearchResult(hit, kind: "Lab", title: $0.title, url: "/labs/\($0.id)") }
        case "exercise":
            exercises[hit.id].map { SearchResult(hit, kind: "SQL exercise", title: $0.title, url: "/sql/\($0.number)") }
        default:
            nil
        }
    }

    /// The search page and the search API, for ``buildRouter(_:)``.
    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        SearchPages(services: self).addRoutes(to: router, api: api)
    }
}
