import Foundation
import Learning
import SQLKit

/// Thrown when an email address already has an account.
public struct EmailTaken: Error {}

/// Accounts. Emails are stored lower-cased and unique, so `Ada@x.org` and `ada@x.org` are one person.
public protocol UserRepository: Sendable {
    func create(email: String, passwordHash: String, role: Role) async throws -> User
    func find(email: String) async throws -> User?
    func find(id: String) async throws -> User?
    /// Creates the user with this fixed id if it does not exist yet (personal mode's learner).
    func ensure(id: String, email: String) async throws -> User
    /// Every account (personal mode's implicit learner aside), by e-mail address.
    func list() async throws -> [AccountSummary]
    /// How many administrators can sign in (not disabled).
    func activeAdminCount() async throws -> Int
    /// The account as changed, or nil when there is no such account.
    func setRole(_ role: Role, id: String) async throws -> User?
    /// Disables the account (and ends its sessions) at `at`, or enables it again with nil.
    func setDisabled(at: Int64?, id: String) async throws -> User?
    func setPassword(hash: String, id: String) async throws
    /// Throws ``EmailTaken`` when another account has `email`.
    func setEmail(_ email: String, id: String) async throws
    /// Deletes the account and everything it owns (its progress, notes, runs, tokens, sessions).
    @discardableResult func delete(id: String) async throws -> Bool
    /// Records that the person used the server at `at` (seconds since 1970).
    func recordActivity(id: String, at: Int64) async throws
}

/// ``UserRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLUserRepository: UserRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(email: String, passwordHash: String, role: Role) async throws -> User {
        let user = User(
            id: UUID().uuidString.lowercased(), email: email.lowercased(), passwordHash: passwordHash, role: role,
            createdAt: WallClock.nowSeconds())
        let inserted = try await database.transaction { sql in
            try await Self.insert(user, into: sql)
        }
        guard inserted else { throw EmailTaken() }
        return user
    }

    /// Inserts `user` unless its e-mail is taken; false when it is. Shared with invitations, which
    /// create an account in the same transaction as they count a use.
    static func insert(_ user: User, into sql: any SQLDatabase) async throws -> Bool {
        try await sql.raw(
            """
            INSERT INTO users (id, email, password_hash, role, created_at)
            VALUES (\(bind: user.id), \(bind: user.email), \(bind: user.passwordHash), \(bind: user.role.rawValue), \(bind: user.createdAt))
            ON CONFLICT (email) DO NOTHING RETURNING id
            """
        ).first() != nil
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
            try await sql.raw(
                """
                INSERT INTO users (id, email, password_hash, role, created_at)
                VALUES (\(bind: id), \(bind: email), '!', 'learner', \(bind: WallClock.nowSeconds()))
                ON CONFLICT (id) DO NOTHING
                """
            ).run()
        }
        guard let user = try await find(id: id) else { throw DatabaseError.migrationFailed("the user '\(id)' could not be created") }
        return user
    }

    public func list() async throws -> [AccountSummary] {
        try await database.withSQL { sql in
            try await sql.raw("SELECT * FROM users WHERE id <> 'personal' ORDER BY email").all().map { row in
                let user = try Self.user(row)
                return AccountSummary(
                    id: user.id, email: user.email, role: user.role, disabled: user.isDisabled, createdAt: user.createdAt,
                    lastSeenAt: try row.decode(column: "last_seen_at", as: Int64?.self))
            }
        }
    }

    public func activeAdminCount() async throws -> Int {
        try await database.withSQL { sql in
            let row = try await sql.raw("SELECT COUNT(*) AS admins FROM users WHERE role = 'admin' AND disabled_at IS NULL").first()
            return try row?.decode(column: "admins", as: Int.self) ?? 0
        }
    }

    public func setRole(_ role: Role, id: String) async throws -> User? {
        try await database.transaction { sql in
            try await sql.raw("UPDATE users SET role = \(bind: role.rawValue) WHERE id = \(bind: id) RETURNING *").first().map(Self.user)
        }
    }

    public func setDisabled(at: Int64?, id: String) async throws -> User? {
        try await database.transaction { sql in
            let user = try await sql.raw("UPDATE users SET disabled_at = \(bind: at) WHERE id = \(bind: id) RETURNING *").first().map(Self.user)
            if at != nil { try await sql.raw("DELETE FROM sessions WHERE user_id = \(bind: id)").run() }
            return user
        }
    }

    public func setPassword(hash: String, id: String) async throws {
        try await database.transaction { sql in
            try await sql.raw("UPDATE users SET password_hash = \(bind: hash) WHERE id = \(bind: id)").run()
        }
    }

    public func setEmail(_ email: String, id: String) async throws {
        let email = email.lowercased()
        let changed = try await database.transaction { sql in
            let taken = try await sql.raw("SELECT id FROM users WHERE email = \(bind: email) AND id <> \(bind: id)").first() != nil
            if taken { return false }
            try await sql.raw("UPDATE users SET email = \(bind: email) WHERE id = \(bind: id)").run()
            return true
        }
        guard changed else { throw EmailTaken() }
    }

    public func delete(id: String) async throws -> Bool {
        try await database.transaction { sql in
            try await sql.raw("DELETE FROM users WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    public func recordActivity(id: String, at: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE users SET last_seen_at = \(bind: at) WHERE id = \(bind: id) AND (last_seen_at IS NULL OR last_seen_at < \(bind: at))"
            ).run()
        }
    }

    static func user(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self),
            email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .learner,
            disabledAt: try row.decode(column: "disabled_at", as: Int64?.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self)
        )
    }
}
