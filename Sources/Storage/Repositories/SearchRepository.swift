import Learning
import SQLKit

/// A piece of Groundwork's own content that search finds: a topic's lesson, a lab's brief, an SQL
/// exercise. `kind` and `id` say what to link to; `title` and `body` are plain text.
public struct SearchDocument: Sendable, Equatable {
    public let kind: String
    public let id: String
    public let title: String
    public let body: String

    public init(kind: String, id: String, title: String, body: String) {
        self.kind = kind
        self.id = id
        self.title = title
        self.body = body
    }
}

/// One result: a document of the content (its title), or one of the asking learner's notes
/// (kind `note`, `id` the topic, no title). The snippet is plain text with each matched word
/// between ``SearchQuery/highlightStart`` and ``SearchQuery/highlightEnd``.
public struct SearchHit: Sendable, Equatable {
    public let kind: String
    public let id: String
    public let title: String
    public let snippet: String
}

/// What a learner typed, as the words it holds. Everything that is not a letter or a digit —
/// quotes, `*`, `-`, parentheses — separates words, and `AND`, `OR`, `NOT` are words like any
/// other, so no query is ever a syntax error in either database's full-text search.
public struct SearchQuery: Sendable, Equatable {
    /// Words beyond these are ignored; a longer query finds nothing more useful.
    public static let maxWords = 12
    static let maxWordLength = 64
    public static let highlightStart: Character = "\u{2}"
    public static let highlightEnd: Character = "\u{3}"

    public let words: [String]

    public init(_ text: String) {
        var words: [String] = []
        var current = ""
        for character in text {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                words.append(current)
                current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        self.words = words.prefix(Self.maxWords).map { String($0.prefix(Self.maxWordLength)) }
    }

    public var isEmpty: Bool { words.isEmpty }

    /// For SQLite's FTS5 `MATCH`: every word quoted, so it is a term and never an operator.
    var ftsExpression: String { words.map { "\"\($0)\"" }.joined(separator: " ") }

    /// For PostgreSQL's `plainto_tsquery`, which reads text as words joined by AND.
    var plainText: String { words.joined(separator: " ") }
}

/// Full-text search over the content (rebuilt whenever a server starts, as content may have
/// changed) and the learners' notes (kept current by the database as notes change), ranked by
/// the database: SQLite's FTS5 with bm25, PostgreSQL's `tsvector` with a GIN index and `ts_rank`.
public protocol SearchRepository: Sendable {
    /// Replaces every content document with `documents`, at once.
    func replaceContent(_ documents: [SearchDocument]) async throws
    /// The best `limit` hits for the query: content, and the notes of `learnerID` (none when nil).
    func search(_ query: SearchQuery, learnerID: String?, limit: Int) async throws -> [SearchHit]
}

/// ``SearchRepository`` over each database's own full-text search (the one repository whose SQL
/// differs between them: the migration sets up FTS5 tables on SQLite, `tsvector` columns on PostgreSQL).
public struct SQLSearchRepository: SearchRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func replaceContent(_ documents: [SearchDocument]) async throws {
        let postgres = database.kind == .postgres
        try await database.transaction { sql in
            // Instances starting together take turns, so the index ends up holding one copy.
            if postgres { try await sql.raw("SELECT pg_advisory_xact_lock(4243)").run() }
            try await sql.raw("DELETE FROM search_content").run()
            for batch in stride(from: 0, to: documents.count, by: 100).map({ documents[$0..<min($0 + 100, documents.count)] }) {
                var insert = sql.insert(into: "search_content").columns("kind", "ref", "title", "body")
                for document in batch {
                    insert = insert.values(SQLBind(document.kind), SQLBind(document.id), SQLBind(document.title), SQLBind(document.body))
                }
                try await insert.run()
            }
        }
    }

    public func search(_ query: SearchQuery, learnerID: String?, limit: Int) async throws -> [SearchHit] {
        guard !query.isEmpty else { return [] }
        let postgres = database.kind == .postgres
        return try await database.withSQL { sql in
            let statement =
                postgres
                ? Self.postgresSearch(query, learnerID: learnerID, limit: limit) : Self.sqliteSearch(query, learnerID: learnerID, limit: limit)
            let rows = try await sql.raw(statement).all()
            return try rows.map { row in
                SearchHit(
                    kind: try row.decode(column: "kind", as: String.self),
                    id: try row.decode(column: "ref", as: String.self),
                    title: try row.decode(column: "title", as: String.self),
                    snippet: try row.decode(column: "snippet", as: String?.self) ?? ""
                )
            }
        }
    }

    /// bm25 is lower for better matches; a word in a title counts eight times one in a body.
    /// A NULL learner matches no note.
    private static func sqliteSearch(_ query: SearchQuery, learnerID: String?, limit: Int) -> SQLQueryString {
        let match = query.ftsExpression
        return """
            SELECT kind, ref, title, snippet(search_content, 3, char(2), char(3), '…', 24) AS snippet,
                   bm25(search_content, 0.0, 0.0, 8.0, 1.0) AS score
            FROM search_content WHERE search_content MATCH \(bind: match)
            UNION ALL
            SELECT 'note' AS kind, notes.topic_id AS ref, '' AS title, snippet(notes_search, 0, char(2), char(3), '…', 24) AS snippet,
                   bm25(notes_search) AS score
            FROM notes_search JOIN notes ON notes.id = notes_search.rowid
            WHERE notes_search MATCH \(bind: match) AND notes.learner_id = \(bind: learnerID)
            ORDER BY score, kind, ref LIMIT \(bind: limit)
            """
    }

    /// Ranked first, then only the hits shown get a headline (which re-reads the whole text).
    private static func postgresSearch(_ query: SearchQuery, learnerID: String?, limit: Int) -> SQLQueryString {
        """
        WITH q AS (SELECT plainto_tsquery('english', \(bind: query.plainText)) AS query),
        hits AS (
            SELECT kind, ref, title, body, ts_rank(search_vector, q.query) AS score
            FROM search_content, q WHERE search_vector @@ q.query
            UNION ALL
            SELECT 'note', topic_id, '', text, ts_rank(search_vector, q.query)
            FROM notes, q WHERE learner_id = \(bind: learnerID) AND search_vector @@ q.query
            ORDER BY score DESC, kind, ref LIMIT \(bind: limit)
        )
        SELECT kind, ref, title,
               ts_headline('english', body, q.query, 'MaxWords=24, MinWords=12, StartSel=' || chr(2) || ', StopSel=' || chr(3)) AS snippet
        FROM hits, q ORDER BY score DESC, kind, ref
        """
    }
}
