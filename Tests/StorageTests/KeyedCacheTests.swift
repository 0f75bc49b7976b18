import Storage
import Testing

/// ``KeyedCache``'s promises: a read that overlaps a write to its key never stores the old value,
/// the cache never holds more than its capacity, and nothing is served older than its maximum age.
@Suite("Keyed cache")
struct KeyedCacheTests {
    struct NotCached: Error {}

    /// Whether `key` is cached, without storing or evicting anything (a failing load stores nothing).
    static func isCached(_ cache: KeyedCache<String>, _ key: String) async -> Bool {
        (try? await cache.value(key) { throw NotCached() }) != nil
    }

    /// Reads `key` with a load that is held until `during` has run, and returns what the read returned.
    static func read(_ cache: KeyedCache<String>, _ key: String, value: String, during: () async -> Void) async throws -> String {
        let (started, loading) = AsyncStream.makeStream(of: Void.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        let read = Task {
            try await cache.value(key) {
                loading.yield()
                for await _ in release { break }
                return value
            }
        }
        for await _ in started { break }
        await during()
        releasing.yield()
        return try await read.value
    }

    @Test("a value is loaded once and then served from the cache")
    func servesCachedValue() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .seconds(60))
        var loads = 0
        for _ in 0..<3 {
            let value = try await cache.value("ada") {
                loads += 1
                return "done"
            }
            #expect(value == "done")
        }
        #expect(loads == 1)
    }

    @Test("a read that began before its key was invalidated returns what it read but does not store it")
    func readRacingInvalidationIsNotStored() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .seconds(60))
        // MUT
        let raced = try await Self.read(cache, "ada", value: "old") { cache.invalidate("ada") }
        // validate
        #expect(raced == "old")
        #expect(await !Self.isCached(cache, "ada"), "a value read before the write was stored after it")
        #expect(try await cache.value("ada") { "new" } == "new")
        #expect(try await cache.value("ada") { "newer" } == "new", "a read after the write is stored")
    }

    @Test("invalidating another key does not stop a read from being stored")
    func otherKeyInvalidated() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .seconds(60))
        _ = try await Self.read(cache, "ada", value: "done") { cache.invalidate("bob") }
        #expect(await Self.isCached(cache, "ada"))
    }

    @Test("invalidate drops the key's value only")
    func invalidateDropsOneKey() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .seconds(60))
        _ = try await cache.value("ada") { "a" }
        _ = try await cache.value("bob") { "b" }
        cache.invalidate("ada")
        #expect(await !Self.isCached(cache, "ada"))
        #expect(await Self.isCached(cache, "bob"))
    }

    @Test("the cache holds at most its capacity, keeping the newest value")
    func capacityBound() async throws {
        let cache = KeyedCache<String>(capacity: 2, maxAge: .seconds(60))
        for key in ["a", "b", "c"] { _ = try await cache.value(key) { key } }
        var cached: [String] = []
        for key in ["a", "b", "c"] where await Self.isCached(cache, key) { cached.append(key) }
        #expect(cached.count == 2)
        #expect(cached.contains("c"))
    }

    @Test("a value older than the maximum age is read again")
    func maxAge() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .milliseconds(100))
        _ = try await cache.value("ada") { "first" }
        #expect(try await cache.value("ada") { "second" } == "first")
        try await Task.sleep(for: .milliseconds(150))
        #expect(try await cache.value("ada") { "second" } == "second")
    }

    @Test("invalidateAll drops every value and every read under way")
    func invalidateAll() async throws {
        let cache = KeyedCache<String>(capacity: 10, maxAge: .seconds(60))
        _ = try await cache.value("ada") { "a" }
        _ = try await cache.value("bob") { "b" }
        let raced = try await Self.read(cache, "cy", value: "c") { cache.invalidateAll() }
        #expect(raced == "c")
        for key in ["ada", "bob", "cy"] {
            #expect(await !Self.isCached(cache, key), "\(key) survived invalidateAll")
        }
        _ = try await cache.value("ada") { "a2" }
        #expect(await Self.isCached(cache, "ada"), "values read after invalidateAll are stored again")
    }

    @Test("when per-key history overflows, reads under way are dropped rather than risk a stale value")
    func historyOverflow() async throws {
        let cache = KeyedCache<String>(capacity: 2, maxAge: .seconds(60))
        _ = try await Self.read(cache, "ada", value: "old") {
            for index in 0..<20 { cache.invalidate("other-\(index)") }
        }
        #expect(await !Self.isCached(cache, "ada"))
        _ = try await cache.value("ada") { "new" }
        #expect(await Self.isCached(cache, "ada"))
    }
}
