import SQLKit

extension Database {
    /// Throws unless the database answers a trivial query: what `/ready` asks before a load
    /// balancer sends an instance traffic.
    public func checkReadiness() async throws {
        _ = try await withSQL { try await $0.raw("SELECT 1 AS one").first() }
    }
}
