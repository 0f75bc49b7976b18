import Foundation
import Learning

// Repositories that remember what pages read on every request: who a session or token belongs to,
// a learner's states and lab results. Every write goes straight to the database first and then
// drops the cached value, here and (through ``ChangeNotices``) on every other instance.

/// How many learners' (or sessions') reads each cache keeps, and for how long at most.
public struct CacheLimits: Sendable {
    public var entries: Int
    public var maxAge: Duration

    public init(entries: Int = 4_096, maxAge: Duration = .seconds(300)) {
        self.entries = entries
        self.maxAge = maxAge
    }
}

/// ``ProgressRepository`` with each learner's states cached.
public struct CachedProgressRepository: ProgressRepository {
    let base: any ProgressRepository
    let notices: ChangeNotices
    let cache: KeyedCache<[String: ProgressState]>

    public init(_ base: any ProgressRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        cache = notices.learnerCache(limits)
    }

    public func states(learnerID: String) async throws -> [String: ProgressState] {
        try await cache.value(learnerID) { try await base.states(learnerID: learnerID) }
    }

    public func state(learnerID: String, topicID: String) async throws -> ProgressState {
        try await states(learnerID: learnerID)[topicID] ?? .todo
    }

    public func setState(_ state: ProgressState, learnerID: String, topicID: String) async throws {
        try await base.setState(state, learnerID: learnerID, topicID: topicID)
        await notices.publish(.learner(learnerID))
    }
}

/// ``LabRunRepository`` with each learner's best results and verified topics cached.
public struct CachedLabRunRepository: LabRunRepository {
    let base: any LabRunRepository
    let notices: ChangeNotices
    let best: KeyedCache<[String: LabRun]>
    let verified: KeyedCache<Set<String>>

    public init(_ base: any LabRunRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        best = notices.learnerCache(limits)
        verified = notices.learnerCache(limits)
    }

    public func record(_ run: LabRun, report: String) async throws {
        try await base.record(run, report: report)
        await notices.publish(.learner(run.learnerID))
    }

    public func history(learnerID: String, labID: String?, limit: Int) async throws -> [LabRun] {
        try await base.history(learnerID: learnerID, labID: labID, limit: limit)
    }

    public func find(id: String, learnerID: String) async throws -> StoredLabRun? {
        try await base.find(id: id, learnerID: learnerID)
    }

    public func bestResults(learnerID: String) async throws -> [String: LabRun] {
        try await best.value(learnerID) { try await base.bestResults(learnerID: learnerID) }
    }

    /// Cached per learner: `topicsByLab` is the lab catalogue's, fixed for the life of the process.
    public func verifiedTopicIDs(learnerID: String, topicsByLab: [String: [String]]) async throws -> Set<String> {
        try await verified.value(learnerID) { try await base.verifiedTopicIDs(learnerID: learnerID, topicsByLab: topicsByLab) }
    }
}

/// ``SessionRepository`` that remembers whose each session is until it ends or expires.
public struct CachedSessionRepository: SessionRepository {
    struct Entry: Sendable {
        let user: User?
        let expiresAt: Int64
    }

    let base: any SessionRepository
    let notices: ChangeNotices
    let cache: KeyedCache<Entry>

    public init(_ base: any SessionRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        let cache = KeyedCache<Entry>(capacity: limits.entries, maxAge: limits.maxAge)
        self.cache = cache
        notices.subscribe { change in
            switch change {
            case .session(let hash): cache.invalidate(hash)
            // Entries are kept by session, not by account: an account's change (rare) drops them all.
            case .account, .everything: cache.invalidateAll()
            case .learner, .tokens: break
            }
        }
    }

    public func create(tokenHash: String, userID: String, expiresAt: Int64) async throws {
        try await base.create(tokenHash: tokenHash, userID: userID, expiresAt: expiresAt)
    }

    /// Unknown tokens are remembered too (as no one's), so a client repeating a stale cookie does
    /// not cost a query each time: a token is never unknown first and valid later, as signing in
    /// always makes a new one.
    public func find(tokenHash: String) async throws -> (user: User, expiresAt: Int64)? {
        let entry = try await cache.value(tokenHash) {
            guard let session = try await base.find(tokenHash: tokenHash) else { return Entry(user: nil, expiresAt: 0) }
            return Entry(user: session.user, expiresAt: session.expiresAt)
        }
        return entry.user.map { ($0, entry.expiresAt) }
    }

    public func delete(tokenHash: String) async throws {
        try await base.delete(tokenHash: tokenHash)
        await notices.publish(.session(tokenHash))
    }

    public func deleteExpired(now: Int64) async throws -> Int {
        try await base.deleteExpired(now: now)
    }

    public func list(userID: String, now: Int64) async throws -> [SessionSummary] {
        try await base.list(userID: userID, now: now)
    }

    public func delete(id: String, userID: String) async throws -> Bool {
        let deleted = try await base.delete(id: id, userID: userID)
        if deleted { await notices.publish(.account(userID)) }
        return deleted
    }

    public func deleteAll(userID: String, keeping: String?) async throws -> Int {
        let deleted = try await base.deleteAll(userID: userID, keeping: keeping)
        await notices.publish(.account(userID))
        return deleted
    }
}

/// ``TokenRepository`` that remembers whose each token is; it records a token's use at most once a
/// minute, so the token list still shows when it was last used.
public struct CachedTokenRepository: TokenRepository {
    let base: any TokenRepository
    let notices: ChangeNotices
    let cache: KeyedCache<User?>

    public init(_ base: any TokenRepository, notices: ChangeNotices, limits: CacheLimits) {
        self.base = base
        self.notices = notices
        let cache = KeyedCache<User?>(capacity: limits.entries, maxAge: min(limits.maxAge, .seconds(60)))
        self.cache = cache
        notices.subscribe { change in
            switch change {
            case .tokens, .account, .everything: cache.invalidateAll()
            case .learner, .session: break
            }
        }
    }

    public func create(userID: String, name: String, tokenHash: String) async throws -> APIToken {
        try await base.create(userID: userID, name: name, tokenHash: tokenHash)
    }

    public func list(userID: String) async throws -> [APIToken] {
        try await base.list(userID: userID)
    }

    public func revoke(id: String, userID: String) async throws -> Bool {
        let revoked = try await base.revoke(id: id, userID: userID)
        if revoked { await notices.publish(.tokens) }
        return revoked
    }

    public func user(tokenHash: String) async throws -> User? {
        try await cache.value(tokenHash) { try await base.user(tokenHash: tokenHash) }
    }
}

/// ``UserRepository`` whose every change to an account is announced (``CachedChange/account(_:)``),
/// so the sessions and tokens cached on every instance stop vouching for what the account was:
/// a disabled account is signed out everywhere at once, a new role applies at once. A deleted
/// account's learner caches are dropped too.
public struct AnnouncedUserRepository: UserRepository {
    let base: any UserRepository
    let notices: ChangeNotices

    public init(_ base: any UserRepository, notices: ChangeNotices) {
        self.base = base
        self.notices = notices
    }

    public func create(email: String, passwordHash: String, role: Role) async throws -> User {
        try await base.create(email: email, passwordHash: passwordHash, role: role)
    }

    public func find(email: String) async throws -> User? { try await base.find(email: email) }
    public func find(id: String) async throws -> User? { try await base.find(id: id) }
    public func ensure(id: String, email: String) async throws -> User { try await base.ensure(id: id, email: email) }
    public func list() async throws -> [AccountSummary] { try await base.list() }
    public func activeAdminCount() async throws -> Int { try await base.activeAdminCount() }

    public func setRole(_ role: Role, id: String) async throws -> User? {
        let user = try await base.setRole(role, id: id)
        await notices.publish(.account(id))
        return user
    }

    public func setDisabled(at: Int64?, id: String) async throws -> User? {
        let user = try await base.setDisabled(at: at, id: id)
        await notices.publish(.account(id))
        return user
    }

    public func setPassword(hash: String, id: String) async throws {
        try await base.setPassword(hash: hash, id: id)
        await notices.publish(.account(id))
    }

    public func setEmail(_ email: String, id: String) async throws {
        try await base.setEmail(email, id: id)
        await notices.publish(.account(id))
    }

    public func delete(id: String) async throws -> Bool {
        let deleted = try await base.delete(id: id)
        await notices.publish(.account(id))
        await notices.publish(.learner(id))
        return deleted
    }

    public func recordActivity(id: String, at: Int64) async throws {
        try await base.recordActivity(id: id, at: at)
    }
}

/// ``PasswordResetRepository`` that announces a completed reset (it ends every session of the
/// account), so no instance's cache keeps those sessions alive.
public struct AnnouncedPasswordResetRepository: PasswordResetRepository {
    let base: any PasswordResetRepository
    let notices: ChangeNotices

    public init(_ base: any PasswordResetRepository, notices: ChangeNotices) {
        self.base = base
        self.notices = notices
    }

    public func create(tokenHash: String, userID: String, expiresAt: Int64, now: Int64) async throws {
        try await base.create(tokenHash: tokenHash, userID: userID, expiresAt: expiresAt, now: now)
    }

    public func user(tokenHash: String, now: Int64) async throws -> User? {
        try await base.user(tokenHash: tokenHash, now: now)
    }

    public func complete(tokenHash: String, passwordHash: String, now: Int64) async throws -> User? {
        let user = try await base.complete(tokenHash: tokenHash, passwordHash: passwordHash, now: now)
        if let user { await notices.publish(.account(user.id)) }
        return user
    }
}
