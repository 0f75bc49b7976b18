import Foundation
import Learning
import Storage
import TestSupport
import Testing

/// Notes on both databases: one per learner and topic, replaced on save, listed newest first,
/// deleted, and never visible through another learner's id.
@Suite("Note storage", .serialized)
struct NoteRepositoryTests {
    static let start: Int64 = 1_700_000_000_000

    /// Runs `body` with a fresh database, its repository and two learners' ids.
    static func withNotes(_ kind: DatabaseKind, _ body: @escaping @Sendable (SQLNoteRepository, String, String) async throws -> Void) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let ada = try await users.ensure(id: "personal", email: "learner@localhost")
                let bob = try await users.create(email: "bob@example.org", passwordHash: "x", role: .learner)
                try await body(SQLNoteRepository(database: database), ada.id, bob.id)
            }
        }
    }

    @Test("saving again replaces the note; the list is newest first, even within one second", arguments: DatabaseKind.allCases)
    func saveAndList(kind: DatabaseKind) async throws {
        try await Self.withNotes(kind) { notes, ada, _ in
            // setup
            _ = try await notes.save(learnerID: ada, topicID: "http", text: "first draft", now: Self.start)
            _ = try await notes.save(learnerID: ada, topicID: "caching", text: "ETag vs Last-Modified", now: Self.start + 200)
            // MUT
            _ = try await notes.save(learnerID: ada, topicID: "http", text: "methods: GET is *safe*", now: Self.start + 400)
            // validate
            let listed = try await notes.notes(learnerID: ada)
            #expect(listed.map(\.topicID) == ["http", "caching"])
            #expect(listed.first == Note(topicID: "http", text: "methods: GET is *safe*", updatedAt: Self.start + 400))
            #expect(try await notes.note(learnerID: ada, topicID: "caching")?.text == "ETag vs Last-Modified")
            #expect(try await notes.note(learnerID: ada, topicID: "sql-basics") == nil)
        }
    }

    @Test("one learner's note is invisible to another, who cannot delete it either", arguments: DatabaseKind.allCases)
    func learnersApart(kind: DatabaseKind) async throws {
        try await Self.withNotes(kind) { notes, ada, bob in
            // setup
            _ = try await notes.save(learnerID: ada, topicID: "http", text: "Ada's secret", now: Self.start)
            // MUT
            let deletedByBob = try await notes.delete(learnerID: bob, topicID: "http")
            // validate
            #expect(!deletedByBob)
            #expect(try await notes.note(learnerID: bob, topicID: "http") == nil)
            #expect(try await notes.notes(learnerID: bob).isEmpty)
            #expect(try await notes.note(learnerID: ada, topicID: "http")?.text == "Ada's secret")
        }
    }

    @Test("a deleted note is gone; deleting it again reports there was none", arguments: DatabaseKind.allCases)
    func delete(kind: DatabaseKind) async throws {
        try await Self.withNotes(kind) { notes, ada, _ in
            _ = try await notes.save(learnerID: ada, topicID: "http", text: "to go", now: Self.start)
            #expect(try await notes.delete(learnerID: ada, topicID: "http"))
            #expect(try await notes.note(learnerID: ada, topicID: "http") == nil)
            #expect(try await !notes.delete(learnerID: ada, topicID: "http"))
        }
    }
}
