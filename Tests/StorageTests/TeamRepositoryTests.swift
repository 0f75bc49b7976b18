import Foundation
import Learning
import SQLKit
import TestSupport
import Testing

@testable import Storage

/// Accounts with roles, invitations, settings, password resets and the audit log (issue 18), on
/// both databases.
@Suite("Team repositories", .serialized)
struct TeamRepositoryTests {
    @Test("upgrading a server with accounts turns the admin flag into roles and keeps its sign-up open", arguments: DatabaseKind.allCases)
    func upgradeFromAdminFlag(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            // setup: the schema as version 8 left it, with an admin and a learner
            let old = try await location.openWithoutMigrating()
            try await old.transaction { sql in
                try await sql.raw("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)")
                    .run()
                for step in Migrations.steps where step.version <= 8 {
                    for statement in step.statements(for: old.kind) { try await sql.raw(SQLQueryString(statement)).run() }
                    try await sql.raw("INSERT INTO schema_migrations VALUES (\(bind: step.version), \(bind: step.name), 0)").run()
                }
                try await sql.raw(
                    "INSERT INTO users (id, email, password_hash, is_admin, created_at) VALUES ('a', 'admin@example.org', 'x', 1, 0), ('l', 'learner@example.org', 'x', 0, 0)"
                ).run()
            }
            // MUT
            let applied = try await Migrations.run(on: old, logger: TestDatabase.logger)
            // validate
            #expect(applied == Array(9...Migrations.latestVersion))
            let users = SQLUserRepository(database: old)
            #expect(try await users.find(id: "a")?.role == .admin)
            #expect(try await users.find(id: "l")?.role == .learner)
            #expect(try await SQLSettingsRepository(database: old).signUpMode() == .open)
            await old.close()
        }
    }

    @Test("a new database has no sign-up choice stored: the configured default applies until one is set", arguments: DatabaseKind.allCases)
    func signUpModeSetting(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                #expect(try await SQLSettingsRepository(database: database).signUpMode() == .invitation)
                #expect(try await SQLSettingsRepository(database: database, defaultSignUpMode: .closed).signUpMode() == .closed)
                try await SQLSettingsRepository(database: database).setSignUpMode(.open, now: 1)
                try await SQLSettingsRepository(database: database).setSignUpMode(.closed, now: 2)
                #expect(try await SQLSettingsRepository(database: database, defaultSignUpMode: .open).signUpMode() == .closed)
            }
        }
    }

    @Test("a single-use invitation followed by eight people at once makes exactly one account", arguments: DatabaseKind.allCases)
    func singleUseUnderConcurrency(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let invitations = SQLInvitationRepository(database: database)
                let now = WallClock.nowSeconds()
                _ = try await invitations.create(tokenHash: "h1", label: "", role: .mentor, maxUses: 1, expiresAt: now + 3600, createdBy: nil)
                // MUT
                let outcomes = try await withThrowingTaskGroup(of: Redemption.self) { group in
                    for index in 0..<8 {
                        group.addTask { try await invitations.redeem(tokenHash: "h1", email: "p\(index)@example.org", passwordHash: "x", now: now) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                // validate
                let created = outcomes.compactMap { if case .created(let user) = $0 { user } else { nil } }
                #expect(created.count == 1)
                #expect(created.first?.role == .mentor)
                #expect(outcomes.filter { $0 == .unusable }.count == 7)
                #expect(try await invitations.list().first?.uses == 1)
                #expect(try await SQLUserRepository(database: database).list().count == 1)
            }
        }
    }

    @Test(
        "invitations stop at their use limit, expiry or revocation; a taken address counts a use and creates nothing",
        arguments: DatabaseKind.allCases)
    func invitationLimits(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let invitations = SQLInvitationRepository(database: database)
                let now = WallClock.nowSeconds()
                _ = try await invitations.create(tokenHash: "two", label: "pair", role: .learner, maxUses: 2, expiresAt: now + 60, createdBy: nil)
                _ = try await invitations.create(tokenHash: "old", label: "", role: .learner, maxUses: nil, expiresAt: now - 1, createdBy: nil)
                let any = try await invitations.create(tokenHash: "any", label: "", role: .learner, maxUses: nil, expiresAt: now + 60, createdBy: nil)
                guard case .created = try await invitations.redeem(tokenHash: "two", email: "a@example.org", passwordHash: "x", now: now) else {
                    Issue.record("the first use should create an account")
                    return
                }
                #expect(try await invitations.redeem(tokenHash: "two", email: "A@example.org", passwordHash: "y", now: now) == .emailTaken)
                #expect(try await invitations.redeem(tokenHash: "two", email: "b@example.org", passwordHash: "x", now: now) == .unusable)
                #expect(try await invitations.redeem(tokenHash: "old", email: "c@example.org", passwordHash: "x", now: now) == .unusable)
                #expect(try await invitations.redeem(tokenHash: "nope", email: "d@example.org", passwordHash: "x", now: now) == .unusable)
                #expect(try await invitations.revoke(id: any.id, now: now)?.revoked == true)
                #expect(try await invitations.redeem(tokenHash: "any", email: "e@example.org", passwordHash: "x", now: now) == .unusable)
                #expect(try await invitations.revoke(id: "missing", now: now) == nil)
                let pair = try #require(try await invitations.find(tokenHash: "two"))
                #expect(pair.uses == 2)
                #expect(pair.status(now: now) == "used up")
                #expect(try await SQLUserRepository(database: database).find(email: "a@example.org")?.passwordHash == "x")
                #expect(try await SQLUserRepository(database: database).list().map(\.email) == ["a@example.org"])
            }
        }
    }

    @Test("roles, disabling, e-mail changes, activity and deletion of accounts", arguments: DatabaseKind.allCases)
    func accounts(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let sessions = SQLSessionRepository(database: database)
                _ = try await users.ensure(id: "personal", email: "learner@localhost")
                let admin = try await users.create(email: "admin@example.org", passwordHash: "x", role: .admin)
                let ada = try await users.create(email: "ada@example.org", passwordHash: "x", role: .learner)
                #expect(try await users.list().map(\.email) == ["ada@example.org", "admin@example.org"])
                #expect(try await users.activeAdminCount() == 1)
                #expect(try await users.setRole(.admin, id: ada.id)?.role == .admin)
                #expect(try await users.activeAdminCount() == 2)
                try await sessions.create(tokenHash: "s1", userID: ada.id, expiresAt: WallClock.nowSeconds() + 60)
                // Disabling ends the sessions and takes the admin out of the count.
                #expect(try await users.setDisabled(at: 5, id: ada.id)?.isDisabled == true)
                #expect(try await sessions.find(tokenHash: "s1") == nil)
                #expect(try await users.activeAdminCount() == 1)
                #expect(try await users.setDisabled(at: nil, id: ada.id)?.isDisabled == false)
                #expect(try await users.setRole(.mentor, id: "missing") == nil)
                await #expect(throws: EmailTaken.self) { try await users.setEmail("ADMIN@example.org", id: ada.id) }
                try await users.setEmail("Ada.L@example.org", id: ada.id)
                #expect(try await users.find(id: ada.id)?.email == "ada.l@example.org")
                try await users.recordActivity(id: ada.id, at: 100)
                try await users.recordActivity(id: ada.id, at: 50)  // an older report never moves it back
                #expect(try await users.list().first { $0.id == ada.id }?.lastSeenAt == 100)
                #expect(try await users.delete(id: ada.id))
                #expect(try await users.delete(id: ada.id) == false)
                #expect(try await users.list().map(\.id) == [admin.id])
            }
        }
    }

    @Test("sessions are listed, ended one by one by their owner only, or all but one", arguments: DatabaseKind.allCases)
    func sessionList(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let sessions = SQLSessionRepository(database: database)
                let ada = try await users.create(email: "ada@example.org", passwordHash: "x", role: .learner)
                let bob = try await users.create(email: "bob@example.org", passwordHash: "x", role: .learner)
                let now = WallClock.nowSeconds()
                let hashes = (0..<3).map { String(repeating: String($0), count: 64) }
                for hash in hashes { try await sessions.create(tokenHash: hash, userID: ada.id, expiresAt: now + 60) }
                try await sessions.create(tokenHash: String(repeating: "9", count: 64), userID: ada.id, expiresAt: now - 1)
                #expect(try await sessions.list(userID: ada.id, now: now).count == 3)
                #expect(try await sessions.delete(id: SessionSummary.id(tokenHash: hashes[0]), userID: bob.id) == false)
                #expect(try await sessions.delete(id: "%", userID: ada.id) == false)
                #expect(try await sessions.delete(id: SessionSummary.id(tokenHash: hashes[0]), userID: ada.id))
                #expect(try await sessions.deleteAll(userID: ada.id, keeping: hashes[1]) == 2)  // hashes[2] and the expired one
                #expect(try await sessions.list(userID: ada.id, now: now).map(\.id) == [SessionSummary.id(tokenHash: hashes[1])])
            }
        }
    }

    @Test("a password reset works once, before it expires, replaces an earlier one and ends every session", arguments: DatabaseKind.allCases)
    func passwordResets(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let users = SQLUserRepository(database: database)
                let resets = SQLPasswordResetRepository(database: database)
                let sessions = SQLSessionRepository(database: database)
                let ada = try await users.create(email: "ada@example.org", passwordHash: "old", role: .learner)
                let now = WallClock.nowSeconds()
                try await sessions.create(tokenHash: "s", userID: ada.id, expiresAt: now + 60)
                try await resets.create(tokenHash: "first", userID: ada.id, expiresAt: now + 60, now: now)
                try await resets.create(tokenHash: "second", userID: ada.id, expiresAt: now + 60, now: now)
                #expect(try await resets.user(tokenHash: "first", now: now) == nil)
                #expect(try await resets.user(tokenHash: "second", now: now + 61) == nil)
                #expect(try await resets.complete(tokenHash: "second", passwordHash: "new", now: now + 61) == nil)
                #expect(try await resets.user(tokenHash: "second", now: now)?.id == ada.id)
                // MUT
                let done = try await resets.complete(tokenHash: "second", passwordHash: "new", now: now)
                // validate
                #expect(done?.passwordHash == "new")
                #expect(try await sessions.find(tokenHash: "s") == nil)
                #expect(try await resets.complete(tokenHash: "second", passwordHash: "newer", now: now) == nil)
                #expect(try await users.find(id: ada.id)?.passwordHash == "new")
            }
        }
    }

    @Test("the audit log keeps entries newest first and pages back through them", arguments: DatabaseKind.allCases)
    func auditLog(kind: DatabaseKind) async throws {
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let audit = SQLAuditLogRepository(database: database)
                for (index, action) in [AuditAction.signUpModeChanged, .roleChanged, .accountDisabled].enumerated() {
                    try await audit.record(
                        actor: "admin@example.org", action: action, target: "t\(index)", detail: "d\(index)", at: 1000 + Int64(index))
                }
                let newest = try await audit.entries(limit: 2, before: nil)
                #expect(newest.map(\.action) == [.accountDisabled, .roleChanged])
                #expect(try await audit.entries(limit: 2, before: newest.last?.happenedAt).map(\.target) == ["t0"])
                #expect(try await audit.entries(limit: -5, before: nil).isEmpty)
            }
        }
    }
}
