import Foundation
import Synchronization

/// A write that makes cached reads stale, as every instance must hear of it.
public enum CachedChange: Sendable, Equatable {
    /// Something of this learner's changed: progress, lab runs, quiz answers or SQL attempts.
    case learner(String)
    /// This session (by token hash) ended.
    case session(String)
    /// An API token was revoked.
    case tokens
    /// This account (by user id) changed: its role, password, e-mail, or whether it is disabled or
    /// deleted. Whatever sessions and tokens remember of it is stale.
    case account(String)
    /// Changes may have been missed (this instance's listening connection was down): drop everything.
    case everything

    /// The change as one line of text, for a PostgreSQL notification's payload.
    public var text: String {
        switch self {
        case .learner(let id): "learner " + id
        case .session(let hash): "session " + hash
        case .tokens: "tokens"
        case .account(let id): "account " + id
        case .everything: ""
        }
    }

    public init?(text: String) {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        switch (parts.first, parts.count) {
        case ("learner", 2): self = .learner(parts[1])
        case ("session", 2): self = .session(parts[1])
        case ("tokens", 1): self = .tokens
        case ("account", 2): self = .account(parts[1])
        case (nil, 0): self = .everything
        default: return nil
        }
    }
}

/// Hands each ``CachedChange`` to the caches of this instance and, through `broadcast`, to the
/// other instances sharing the database (which pass what they receive to ``receive(_:)``).
public final class ChangeNotices: Sendable {
    /// The notification channel other instances listen on.
    public static let channel = "groundwork_changes"

    private let handlers = Mutex<[@Sendable (CachedChange) -> Void]>([])
    private let broadcast: @Sendable (CachedChange) async -> Void
    private let listener = Mutex<Task<Void, Never>?>(nil)

    /// With the default `broadcast`, changes stay in this process (one SQLite file, one instance).
    public init(broadcast: @escaping @Sendable (CachedChange) async -> Void = { _ in }) {
        self.broadcast = broadcast
    }

    /// Notices shared by every instance on `database`: each change is also sent as a notification
    /// on ``channel`` (PostgreSQL's NOTIFY; within the process on SQLite), and what other instances
    /// send is applied here, until these notices are released.
    ///
    /// Changes published at the same moment go out together, one per line of a notification, each
    /// once: a busy server sends a few notifications, not one per write.
    public static func shared(through database: Database) -> ChangeNotices {
        // Each notification starts with a line naming its sender, so an instance skips its own:
        // ``publish(_:)`` has already applied those here.
        let sender = "from " + UUID().uuidString
        let outbox = Batcher<CachedChange, Void> { changes in
            for payload in payloads(Set(changes.map(\.text)).sorted(), firstLine: sender) {
                try await database.notify(channel: channel, payload: payload)
            }
            return changes.map { _ in () }
        }
        let notices = ChangeNotices { change in
            try? await outbox.submit(change)
        }
        let messages = database.listen(channel: channel)
        notices.listener.withLock { listener in
            listener = Task { [weak notices] in
                for await message in messages {
                    guard let notices else { return }
                    // An empty message says listening (re)started: changes may have been missed.
                    let lines = message.isEmpty ? [""] : message.split(separator: "\n").map(String.init)
                    guard lines.first != sender else { continue }
                    for line in lines {
                        if let change = CachedChange(text: line) { notices.receive(change) }
                    }
                }
            }
        }
        return notices
    }

    /// Lines joined into notification payloads under PostgreSQL's limit of 8000 bytes, each
    /// payload starting with `firstLine`.
    static func payloads(_ lines: [String], firstLine: String) -> [String] {
        var payloads: [String] = []
        var current = firstLine
        for line in lines {
            if current != firstLine, current.utf8.count + 1 + line.utf8.count > 7_900 {
                payloads.append(current)
                current = firstLine
            }
            current += "\n" + line
        }
        if current != firstLine { payloads.append(current) }
        return payloads
    }

    deinit {
        listener.withLock { $0?.cancel() }
    }

    /// A cache of per-learner values that drops a learner's value whenever their data changes.
    public func learnerCache<Value: Sendable>(_ limits: CacheLimits) -> KeyedCache<Value> {
        let cache = KeyedCache<Value>(capacity: limits.entries, maxAge: limits.maxAge)
        subscribe { change in
            switch change {
            case .learner(let id): cache.invalidate(id)
            case .everything: cache.invalidateAll()
            case .session, .tokens, .account: break
            }
        }
        return cache
    }

    public func subscribe(_ handler: @escaping @Sendable (CachedChange) -> Void) {
        handlers.withLock { $0.append(handler) }
    }

    /// Call after the write has committed.
    public func publish(_ change: CachedChange) async {
        receive(change)
        await broadcast(change)
    }

    /// Applies a change made here or announced by another instance.
    public func receive(_ change: CachedChange) {
        for handler in handlers.withLock({ $0 }) { handler(change) }
    }
}
