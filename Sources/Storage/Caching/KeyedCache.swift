import Synchronization

/// Values read from the database, kept per key (a learner id, a session's token hash) until a write
/// to that key drops them, so a page read by the same learner again costs no query.
///
/// A read that started before a write to its key finished is never stored: the cache cannot bring
/// back a value older than the last write it was told about. Entries also expire after `maxAge`
/// (a safety net for writes made by another instance whose notice went missing).
public final class KeyedCache<Value: Sendable>: Sendable {
    private struct Entry {
        let value: Value
        let storedAt: ContinuousClock.Instant
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Per key, the clock reading of its last invalidation.
        var invalidatedAt: [String: UInt64] = [:]
        /// Reads that began before this reading are not stored (set when everything is dropped).
        var floor: UInt64 = 0
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let maxAge: Duration

    /// Holds at most `capacity` entries (an arbitrary one is dropped to make room).
    public init(capacity: Int, maxAge: Duration) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// The cached value for `key`, or what `load` reads (stored unless the key was written meanwhile).
    public func value(_ key: String, load: () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let (cached, startedAt): (Value?, UInt64) = state.withLock { state in
            guard let entry = state.entries[key] else { return (nil, state.clock) }
            if now - entry.storedAt < maxAge { return (entry.value, state.clock) }
            state.entries[key] = nil
            return (nil, state.clock)
        }
        if let cached { return cached }
        let value = try await load()
        state.withLock { state in
            guard startedAt >= state.floor, (state.invalidatedAt[key] ?? 0) <= startedAt else { return }
            if state.entries.count >= capacity, state.entries[key] == nil {
                state.entries.remove(at: state.entries.startIndex)
            }
            state.entries[key] = Entry(value: value, storedAt: now)
        }
        return value
    }

    /// Drops `key`'s value, and any read of it already under way.
    public func invalidate(_ key: String) {
        state.withLock { state in
            state.clock += 1
            state.entries[key] = nil
            if state.invalidatedAt.count >= capacity * 4 {
                // Forget per-key history rather than grow without bound: drop every read under way.
                state.invalidatedAt = [:]
                state.floor = state.clock
            } else {
                state.invalidatedAt[key] = state.clock
            }
        }
    }

    /// Drops every value, and every read under way.
    public func invalidateAll() {
        state.withLock { state in
            state.clock += 1
            state.entries = [:]
            state.invalidatedAt = [:]
            state.floor = state.clock
        }
    }
}
