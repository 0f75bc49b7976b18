import Foundation
import Learning
import SQLKit

/// What following an invitation link came to.
public enum Redemption: Sendable, Equatable {
    /// A new account, with the invitation's role.
    case created(User)
    /// The address already has an account: nothing was created, but the use was counted all the
    /// same, so the invitation's state cannot tell anyone whether the address had an account.
    case emailTaken
    /// The link is unknown, revoked, expired or used up.
    case unusable
}

/// Invitation links (team mode): an administrator makes one for a role, to be used once or many
/// times until it expires. Only a hash of the link's secret is stored.
public protocol InvitationRepository: Sendable {
    func create(tokenHash: String, label: String, role: Role, maxUses: Int?, expiresAt: Int64, createdBy: String?) async throws -> Invitation
    /// Every invitation, newest first.
    func list() async throws -> [Invitation]
    func find(tokenHash: String) async throws -> Invitation?
    /// Revokes the invitation; nil when there is no such invitation.
    func revoke(id: String, now: Int64) async throws -> Invitation?
    /// Counts a use of the invitation and creates the account in one transaction, so a
    /// single-use link makes one account however many people follow it at once.
    func redeem(tokenHash: String, email: String, passwordHash: String, now: Int64) async throws -> Redemption
}

/// ``InvitationRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLInvitationRepository: InvitationRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func create(tokenHash: String, label: String, role: Role, maxUses: Int?, expiresAt: Int64, createdBy: String?) async throws
        -> Invitation
    {
        let invitation = Invitation(
            id: UUID().uuidString.lowercased(), label: label, role: role, maxUses: maxUses, uses: 0, expiresAt: expiresAt,
            createdAt: WallClock.nowSeconds(), revoked: false)
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO invitations (id, token_hash, label, role, max_uses, expires_at, created_by, created_at)
                VALUES (\(bind: invitation.id), \(bind: tokenHash), \(bind: label), \(bind: role.rawValue), \(bind: maxUses),
                        \(bind: expiresAt), \(bind: createdBy), \(bind: invitation.createdAt))
                """
            ).run()
        }
        return invitation
    }

    public func list() async throws -> [Invitation] {
        try await database.withSQL { sql in
            try await sql.raw("SELECT * FROM invitations ORDER BY created_at DESC, id").all().map(Self.invitation)
        }
    }

    public func find(tokenHash: String) async throws -> Invitation? {
        try await database.withSQL { sql in
            try await sql.raw("SELECT * FROM invitations WHERE token_hash = \(bind: tokenHash)").first().map(Self.invitation)
        }
    }

    public func revoke(id: String, now: Int64) async throws -> Invitation? {
        try await database.transaction { sql in
            try await sql.raw(
                "UPDATE invitations SET revoked_at = COALESCE(revoked_at, \(bind: now)) WHERE id = \(bind: id) RETURNING *"
            ).first().map(Self.invitation)
        }
    }

    public func redeem(tokenHash: String, email: String, passwordHash: String, now: Int64) async throws -> Redemption {
        let id = UUID().uuidString.lowercased()
        let email = email.lowercased()
        return try await database.transaction { sql in
            guard
                let row = try await sql.raw(
                    """
                    UPDATE invitations SET uses = uses + 1
                    WHERE token_hash = \(bind: tokenHash) AND revoked_at IS NULL AND expires_at > \(bind: now)
                      AND (max_uses IS NULL OR uses < max_uses)
                    RETURNING role
                    """
                ).first()
            else { return .unusable }
            let role = Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .learner
            let user = User(id: id, email: email, passwordHash: passwordHash, role: role, createdAt: now)
            return try await SQLUserRepository.insert(user, into: sql) ? .created(user) : .emailTaken
        }
    }

    static func invitation(_ row: any SQLRow) throws -> Invitation {
        Invitation(
            id: try row.decode(column: "id", as: String.self),
            label: try row.decode(column: "label", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .learner,
            maxUses: try row.decode(column: "max_uses", as: Int?.self),
            uses: try row.decode(column: "uses", as: Int.self),
            expiresAt: try row.decode(column: "expires_at", as: Int64.self),
            createdAt: try row.decode(column: "created_at", as: Int64.self),
            revoked: try row.decode(column: "revoked_at", as: Int64?.self) != nil
        )
    }
}
