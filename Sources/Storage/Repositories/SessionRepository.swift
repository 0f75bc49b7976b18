import Learning
import SQLKit

/// Sign-in sessions, kept in the database so any instance behind a proxy can serve any request.
/// Only a hash of the cookie's token is stored: a copy of the database cannot be used to sign in.
public protocol SessionRepository: Sendable {
    func create(tokenHash: String, userID: String, expiresAt: Int64) async throws
    /// The session's user and expiry (seconds since 1970), expired or not; nil when it is unknown.
    func find(tokenHash: String) async throws -> (user: User, expiresAt: Int64)?
    func delete(tokenHash: String) async throws
    /// Removes expired sessions; returns how many.
    @discardableResult func deleteExpired(now: Int64) async throws -> Int
}

extension SessionRepository {
    /// The signed-in user, or nil when the session is unknown or expired.
    public func user(tokenHash: String, now: Int64) async throws -> User? {
        guard let session = try await find(tokenHash: tokenHash), session.expiresAt > now else { return nil }
        return session.user
    }
}

/// ``SessionRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLSessionRepository: SessionRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(tokenHash: String, userID: String, expiresAt: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: tokenHash), \(bind: userID), \(bind: WallClock.nowSeconds()), \(bind: expiresAt))
                """).run()
        }
    }

    /// A session created "in the future" was stamped by a clock that ran fast and has since been
    /// set back: its lifetime is counted from now instead (and stored so), so it lasts as long as
    /// any other session rather than that long plus however fast the clock was.
    public func find(tokenHash: String) async throws -> (user: User, expiresAt: Int64)? {
        let found = try await database.withSQL { sql in
            try await sql.raw("""
                SELECT users.*, sessions.created_at AS session_created_at, sessions.expires_at FROM sessions JOIN users ON users.id = sessions.user_id
                WHERE sessions.token_hash = \(bind: tokenHash)
                """).first().map { row in
                (try SQLUserRepository.user(row), try row.decode(column: "session_created_at", as: Int64.self),
                 try row.decode(column: "expires_at", as: Int64.self))
            }
        }
        guard let found else { return nil }
        let (user, createdAt, expiresAt) = found
        let now = WallClock.nowSeconds()
        guard createdAt > now + Self.clockSkewAllowance else { return (user, expiresAt) }
        let clamped = now + max(0, expiresAt - createdAt)
        try await database.transaction { sql in
            try await sql.raw("""
                UPDATE sessions SET created_at = \(bind: now), expires_at = \(bind: clamped) WHERE token_hash = \(bind: tokenHash)
                """).run()
        }
        return (user, clamped)
    }

    /// How far apart two instances' clocks may be before a session counts as "from the future".
    static let clockSkewAllowance: Int64 = 60

    public func delete(tokenHash: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    public func deleteExpired(now: Int64) async throws -> Int {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now) RETURNING token_hash").all().count
        }
    }
}
