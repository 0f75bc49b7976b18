import SQLKit

/// Sign-in sessions, kept in the database so any instance behind a proxy can serve any request.
/// Only a hash of the cookie's token is stored: a copy of the database cannot be used to sign in.
public protocol SessionRepository: Sendable {
    func create(tokenHash: String, userID: String, expiresAt: Int64) async throws
    /// The signed-in user, or nil when the session is unknown or expired.
    func user(tokenHash: String, now: Int64) async throws -> User?
    func delete(tokenHash: String) async throws
    /// Removes expired sessions; returns how many.
    @discardableResult func deleteExpired(now: Int64) async throws -> Int
}

/// ``SessionRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLSessionRepository: SessionRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(tokenHash: String, userID: String, expiresAt: Int64) async throws {
        try await database.withSQL { sql in
            try await sql.raw("""
                INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: tokenHash), \(bind: userID), \(bind: Clock.nowSeconds()), \(bind: expiresAt))
                """).run()
        }
    }

    public func user(tokenHash: String, now: Int64) async throws -> User? {
        try await database.withSQL { sql in
            try await sql.raw("""
                SELECT users.* FROM sessions JOIN users ON users.id = sessions.user_id
                WHERE sessions.token_hash = \(bind: tokenHash) AND sessions.expires_at > \(bind: now)
                """).first().map(SQLUserRepository.user)
        }
    }

    public func delete(tokenHash: String) async throws {
        try await database.withSQL { sql in
            try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    public func deleteExpired(now: Int64) async throws -> Int {
        try await database.withSQL { sql in
            try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now) RETURNING token_hash").all().count
        }
    }
}
