/// What the search page shows: the query back in its box, and each result with its kind, link
/// and highlighted snippet (already escaped by ``SearchResult``).
struct SearchPageModel {
    let query: String
    let hasQuery: Bool
    let results: [SearchResult]
    let hasResults: Bool
    let count: String

    init(query: String, results: [SearchResult]) {
        self.query = query
        hasQuery = !query.allSatisfy(\.isWhitespace)
        self.results = results
        hasResults = !results.isEmpty
        count = results.count == 1 ? "1 result" : "\(results.count) results"
    }
}
