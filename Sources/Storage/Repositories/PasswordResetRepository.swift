import Learning
import SQLKit

/// Password-reset links an administrator starts for an account. Only a hash of the link's secret
/// is stored; a link works once, before it expires, and a newer one replaces it.
public protocol PasswordResetRepository: Sendable {
    /// Stores a reset for the user, replacing any earlier one.
    func create(tokenHash: String, userID: String, expiresAt: Int64, now: Int64) async throws
    /// The account the unexpired link is for; nil when it is unknown, used or expired.
    func user(tokenHash: String, now: Int64) async throws -> User?
    /// Sets the new password and ends every session of the account, using up the link, in one
    /// transaction; the account, or nil when the link is unknown, used or expired.
    func complete(tokenHash: String, passwordHash: String, now: Int64) async throws -> User?
}

/// ``PasswordResetRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLPasswordResetRepository: PasswordResetRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(tokenHash: String, userID: String, expiresAt: Int64, now: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM password_resets WHERE user_id = \(bind: userID) OR expires_at <= \(bind: now)").run()
            try await sql.raw(
                """
                INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
                VALUES (\(bind: tokenHash), \(bind: userID), \(bind: now), \(bind: expiresAt))
                """
            ).run()
        }
    }

    public func user(tokenHash: String, now: Int64) async throws -> User? {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT users.* FROM password_resets JOIN users ON users.id = password_resets.user_id
                WHERE password_resets.token_hash = \(bind: tokenHash) AND password_resets.expires_at > \(bind: now)
                """
            ).first().map(SQLUserRepository.user)
        }
    }

    public func complete(tokenHash: String, passwordHash: String, now: Int64) async throws -> User? {
        try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    "DELETE FROM password_resets WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now) RETURNING user_id"
                ).first()
            else { return nil }
            let userID = try row.decode(column: "user_id", as: String.self)
            try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
            return try await sql.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userID) RETURNING *").first()
                .map(SQLUserRepository.user)
        }
    }
}
