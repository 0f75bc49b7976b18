import Foundation
import Learning
import SQLKit

/// The audit log: administrative actions, appended and never changed.
public protocol AuditLogRepository: Sendable {
    @discardableResult
    func record(actor: String, action: AuditAction, target: String, detail: String, at: Int64) async throws -> AuditEntry
    /// The newest `limit` entries, newest first, optionally only those older than `before` (milliseconds).
    func entries(limit: Int, before: Int64?) async throws -> [AuditEntry]
}

/// ``AuditLogRepository`` over SQL (SQLite or PostgreSQL).
public struct SQLAuditLogRepository: AuditLogRepository {
    let database: Database

    public init(database: Database) { self.database = database }

    public func record(actor: String, action: AuditAction, target: String, detail: String, at: Int64) async throws -> AuditEntry {
        let entry = AuditEntry(id: UUID().uuidString.lowercased(), happenedAt: at, actor: actor, action: action, target: target, detail: detail)
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO audit_log (id, happened_at, actor, action, target, detail)
                VALUES (\(bind: entry.id), \(bind: at), \(bind: actor), \(bind: action.rawValue), \(bind: target), \(bind: detail))
                """
            ).run()
        }
        return entry
    }

    public func entries(limit: Int, before: Int64?) async throws -> [AuditEntry] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT * FROM audit_log WHERE happened_at < \(bind: before ?? Int64.max)
                ORDER BY happened_at DESC, id DESC LIMIT \(bind: max(0, min(limit, 1000)))
                """
            ).all().map { row in
                AuditEntry(
                    id: try row.decode(column: "id", as: String.self),
                    happenedAt: try row.decode(column: "happened_at", as: Int64.self),
                    actor: try row.decode(column: "actor", as: String.self),
                    action: AuditAction(rawValue: try row.decode(column: "action", as: String.self)) ?? .roleChanged,
                    target: try row.decode(column: "target", as: String.self),
                    detail: try row.decode(column: "detail", as: String.self))
            }
        }
    }
}
