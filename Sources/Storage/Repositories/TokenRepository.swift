import Foundation
import Learning
import SQLKit

/// Tokens that let the CLI and scripts act for a user (`Authorization: Bearer …`). Stored as hashes.
public protocol TokenRepository: Sendable {
    func create(userID: String, name: String, tokenHash: String) async throws -> APIToken
    func list(userID: String) async throws -> [APIToken]
    /// Deletes the token if it belongs to `userID`; false when there is no such token.
    func revoke(id: String, userID: String) async throws -> Bool
    /// The token's owner, recording the use; nil for an unknown (or revoked) token.
    func user(tokenHash: String) async throws -> User?
}

/// ``TokenRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLTokenRepository: TokenRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(userID: String, name: String, tokenHash: String) async throws -> APIToken {
        let token = APIToken(id: UUID().uuidString.lowercased(), name: name, createdAt: WallClock.nowSeconds(), lastUsedAt: nil)
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO api_tokens (id, user_id, name, token_hash, created_at)
                VALUES (\(bind: token.id), \(bind: userID), \(bind: name), \(bind: tokenHash), \(bind: token.createdAt))
                """
            ).run()
        }
        return token
    }

    public func list(userID: String) async throws -> [APIToken] {
        try await database.transaction { sql in
            try await sql.raw(
                """
                SELECT id, name, created_at, last_used_at FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY created_at, id
                """
            ).all().map { row in
                APIToken(
                    id: try row.decode(column: "id", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    createdAt: try row.decode(column: "created_at", as: Int64.self),
                    lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self)
                )
            }
        }
    }

    public func revoke(id: String, userID: String) async throws -> Bool {
        try await database.withSQL { sql in
            try await sql.raw("DELETE FROM api_tokens WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id").first() != nil
        }
    }

    public func user(tokenHash: String) async throws -> User? {
        let user = try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT users.* FROM api_tokens JOIN users ON users.id = api_tokens.user_id WHERE api_tokens.token_hash = \(bind: tokenHash)
                """
            ).first().map(SQLUserRepository.user)
        }
        if user != nil {
            let now = WallClock.nowSeconds()
            try await database.transaction { sql in
                try await sql.raw("UPDATE api_tokens SET last_used_at = \(bind: now) WHERE token_hash = \(bind: tokenHash)").run()
            }
        }
        return user
    }
}
