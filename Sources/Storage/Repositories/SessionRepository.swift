import Learning
import SQLKit

/// One of a person's sign-in sessions as they see it on their account page. `id` is the start
/// of the stored hash: enough to name the session, useless for signing in.
public struct SessionSummary: Sendable, Equatable {
    public let id: String
    public let createdAt: Int64
    public let expiresAt: Int64

    public init(id: String, createdAt: Int64, expiresAt: Int64) {
        self.id = id
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The id of the session whose token hashes to `tokenHash`.
    public static func id(tokenHash: String) -> String { String(tokenHash.prefix(16)) }
}

/// Sign-in sessions, kept in the database so any instance behind a proxy can serve any request.
/// Only a hash of the cookie's token is stored: a copy of the database cannot be used to sign in.
public protocol SessionRepository: Sendable {
    func create(tokenHash: String, userID: String, expiresAt: Int64) async throws
    /// The session's user and expiry (seconds since 1970), expired or not; nil when it is unknown.
    func find(tokenHash: String) async throws -> (user: User, expiresAt: Int64)?
    func delete(tokenHash: String) async throws
    /// Removes expired sessions; returns how many.
    @discardableResult func deleteExpired(now: Int64) async throws -> Int
    /// The user's unexpired sessions, newest first.
    func list(userID: String, now: Int64) async throws -> [SessionSummary]
    /// Ends the user's session with this ``SessionSummary/id``; false when they have none such.
    func delete(id: String, userID: String) async throws -> Bool
    /// Ends every session of the user except the one whose hash is `keeping`; returns how many ended.
    @discardableResult func deleteAll(userID: String, keeping: String?) async throws -> Int
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
            try await sql.raw(
                """
                INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: tokenHash), \(bind: userID), \(bind: WallClock.nowSeconds()), \(bind: expiresAt))
                """
            ).run()
        }
    }

    /// A session created "in the future" was stamped by a clock that ran fast and has since been
    /// set back: its lifetime is counted from now instead (and stored so), so it lasts as long as
    /// any other session rather than that long plus however fast the clock was.
    public func find(tokenHash: String) async throws -> (user: User, expiresAt: Int64)? {
        let found = try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT users.*, sessions.created_at AS session_created_at, sessions.expires_at FROM sessions JOIN users ON users.id = sessions.user_id
                WHERE sessions.token_hash = \(bind: tokenHash)
                """
            ).first().map { row in
                (
                    try SQLUserRepository.user(row), try row.decode(column: "session_created_at", as: Int64.self),
                    try row.decode(column: "expires_at", as: Int64.self)
                )
            }
        }
        guard let found else { return nil }
        let (user, createdAt, expiresAt) = found
        let now = WallClock.nowSeconds()
        guard createdAt > now + Self.clockSkewAllowance else { return (user, expiresAt) }
        let clamped = now + max(0, expiresAt - createdAt)
        try await database.transaction { sql in
            try await sql.raw(
                """
                UPDATE sessions SET created_at = \(bind: now), expires_at = \(bind: clamped) WHERE token_hash = \(bind: tokenHash)
                """
            ).run()
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

    public func list(userID: String, now: Int64) async throws -> [SessionSummary] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT token_hash, created_at, expires_at FROM sessions WHERE user_id = \(bind: userID) AND expires_at > \(bind: now)
                ORDER BY created_at DESC, token_hash
                """
            ).all().map { row in
                SessionSummary(
                    id: SessionSummary.id(tokenHash: try row.decode(column: "token_hash", as: String.self)),
                    createdAt: try row.decode(column: "created_at", as: Int64.self),
                    expiresAt: try row.decode(column: "expires_at", as: Int64.self))
            }
        }
    }

    public func delete(id: String, userID: String) async throws -> Bool {
        // Ids are 16 hex digits; anything else names no session (and is never put in a pattern).
        guard id.count == 16, id.allSatisfy(\.isHexDigit) else { return false }
        return try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM sessions WHERE user_id = \(bind: userID) AND substr(token_hash, 1, 16) = \(bind: id) RETURNING token_hash"
            ).all().count > 0
        }
    }

    public func deleteAll(userID: String, keeping: String?) async throws -> Int {
        try await database.transaction { sql in
            try await sql.raw(
                "DELETE FROM sessions WHERE user_id = \(bind: userID) AND token_hash <> \(bind: keeping ?? "") RETURNING token_hash"
            ).all().count
        }
    }
}
