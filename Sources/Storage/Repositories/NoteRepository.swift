import Learning
import SQLKit

/// Each learner's notes, one per topic (keyed by the topic's stable id). Every query names the
/// learner, so one learner's notes are never read or changed through another's requests.
public protocol NoteRepository: Sendable {
    /// Stores the note's text (already checked by ``NoteRules``), replacing any earlier one.
    func save(learnerID: String, topicID: String, text: String, now: Int64) async throws -> Note
    /// Nil when the learner has no note on the topic.
    func note(learnerID: String, topicID: String) async throws -> Note?
    /// Every note of the learner, newest first.
    func notes(learnerID: String) async throws -> [Note]
    /// Removes the note; false when there was none.
    func delete(learnerID: String, topicID: String) async throws -> Bool
}

/// ``NoteRepository`` over SQL (the same statements on SQLite and PostgreSQL).
public struct SQLNoteRepository: NoteRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func save(learnerID: String, topicID: String, text: String, now: Int64) async throws -> Note {
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO notes (learner_id, topic_id, text, updated_at) VALUES (\(bind: learnerID), \(bind: topicID), \(bind: text), \(bind: now))
                ON CONFLICT (learner_id, topic_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at
                """
            ).run()
        }
        return Note(topicID: topicID, text: text, updatedAt: now)
    }

    public func note(learnerID: String, topicID: String) async throws -> Note? {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT topic_id, text, updated_at FROM notes WHERE learner_id = \(bind: learnerID) AND topic_id = \(bind: topicID)
                """
            ).first().map(Self.note)
        }
    }

    public func notes(learnerID: String) async throws -> [Note] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT topic_id, text, updated_at FROM notes WHERE learner_id = \(bind: learnerID) ORDER BY updated_at DESC, topic_id
                """
            ).all().map(Self.note)
        }
    }

    public func delete(learnerID: String, topicID: String) async throws -> Bool {
        try await database.transaction { sql in
            try await sql.raw(
                """
                DELETE FROM notes WHERE learner_id = \(bind: learnerID) AND topic_id = \(bind: topicID) RETURNING topic_id
                """
            ).first() != nil
        }
    }

    static func note(_ row: any SQLRow) throws -> Note {
        Note(
            topicID: try row.decode(column: "topic_id", as: String.self),
            text: try row.decode(column: "text", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: Int64.self)
        )
    }
}
