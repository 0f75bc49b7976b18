import Foundation
import Learning
import SQLKit

/// Thrown when an email address already has an account.
public struct EmailTaken: Error {}

/// Accounts. Emails are stored lower-cased and unique, so `Ada@x.org` and `ada@x.org` are one person.
public protocol UserRepository: Sendable {
    func create(email: String, passwordHash: String, isAdmin: Bool) async throws -> User
    func find(email: String) async throws -> User?
    func find(id: String) async throws -> User?
    /// Creates the user with this fixed id if it does not exist yet (personal mode's learner).
    func ensure(id: String, email: String) async throws -> User
}

/// ``UserRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLUserRepository: UserRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(email: String, passwordHash: String, isAdmin: Bool) async throws -> User {
        let user = User(id: UUID().uuidString.lowercased(), email: email.lowercased(), passwordHash: passwordHash,
                        isAdmin: isAdmin, createdAt: WallClock.nowSeconds())
        let inserted = try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO users (id, email, password_hash, is_admin, created_at)
                VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.passwordHash), \(bind: user.isAdmin ? 1 : 0), \(bind: user.createdAt))
                ON CONFLICT (email) DO NOTHING RETURNING id
                """).first()
        }
        guard inserted != nil else { throw EmailTaken() }
        return user
    }

    public func find(email: String) async throws -> User? {
        try await database.withSQL { sql in
            try await sql.raw("SELECT * FROM users WHERE email = \(bind: email.lowercased())").first().map(Self.user)
        }
    }

    public func find(id: String) async throws -> User? {
        try await database.withSQL { sql in
            try await sql.raw("SELECT * FROM users WHERE id = \(bind: id)").first().map(Self.user)
        }
    }

    public func ensure(id: String, email: String) async throws -> User {
        try await database.transaction { sql in
            try await sql.raw("""
                INSERT INTO users (id, email, password_hash, is_admin, created_at)
                VALUES (\(bind: id), \(bind: email), '!', 0, \(bind: WallClock.nowSeconds()))
                ON CONFLICT (id) DO NOTHING
                """).run()
        }
        guard let user = try await find(id: id) else { throw DatabaseError.migrationFailed("the user '\(id)' could not be created") }
        return user
    }

    static func user(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            isAdmin: try row.decode(column: "is_admin", as: Int.self) != 0,
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }
}
