import Foundation
import Storage
import TestSupport
import Testing

/// The search index on both databases: content replaced whole at each start, ranked, and a
/// learner's notes searched for that learner alone.
@Suite("Search storage", .serialized)
struct SearchRepositoryTests {
    static let documents = [
        SearchDocument(kind: "topic", id: "caching", title: "Caching", body: "An ETag names a version of a representation."),
        SearchDocument(kind: "topic", id: "http", title: "HTTP", body: "Requests, responses, caching and the ETag header among many others."),
        SearchDocument(kind: "lab", id: "url-shortener", title: "URL shortener", body: "Redirect with 301 or 302."),
    ]

    @Test("what a learner types becomes words: operators and punctuation never reach the database as syntax")
    func queryWords() {
        #expect(SearchQuery("\"ETag\" AND (cache-control) OR NOT *").words == ["ETag", "AND", "cache", "control", "OR", "NOT"])
        #expect(SearchQuery("\" ( * - ").isEmpty)
        #expect(SearchQuery(String(repeating: "word ", count: 100)).words.count == SearchQuery.maxWords)
    }

    @Test("replacing the content twice leaves one copy; a title match ranks first", arguments: DatabaseKind.allCases)
    func replaceAndRank(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let search = SQLSearchRepository(database: database)
                // setup
                try await search.replaceContent(Self.documents)
                // MUT
                try await search.replaceContent(Self.documents)
                // validate
                let etag = try await search.search(SearchQuery("etag"), learnerID: nil, limit: 10)
                #expect(etag.map(\.id).sorted() == ["caching", "http"])
                let caching = try await search.search(SearchQuery("caching"), learnerID: nil, limit: 10)
                #expect(caching.map(\.id) == ["caching", "http"])
                #expect(try await search.search(SearchQuery("\" ( * -"), learnerID: nil, limit: 10).isEmpty)
            }
        }
    }

    @Test("notes are searched for their author only, and follow every save", arguments: DatabaseKind.allCases)
    func notesPerLearner(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let ada = try await users.ensure(id: "personal", email: "learner@localhost")
                let bob = try await users.create(email: "bob@example.org", passwordHash: "x", role: .learner)
                let notes = SQLNoteRepository(database: database)
                let search = SQLSearchRepository(database: database)
                _ = try await notes.save(learnerID: ada.id, topicID: "http", text: "status codes: 418 teapot", now: 1)
                _ = try await notes.save(learnerID: bob.id, topicID: "http", text: "teapot jokes", now: 1)
                let adas = try await search.search(SearchQuery("teapot"), learnerID: ada.id, limit: 10)
                #expect(adas.map(\.snippet) == ["status codes: 418 \u{2}teapot\u{3}"])
                #expect(try await search.search(SearchQuery("teapot"), learnerID: nil, limit: 10).isEmpty)
                _ = try await notes.save(learnerID: ada.id, topicID: "http", text: "status codes: 204", now: 2)
                #expect(try await search.search(SearchQuery("teapot"), learnerID: ada.id, limit: 10).isEmpty)
            }
        }
    }
}
