import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// What load balancers and Prometheus rely on.
@Suite("Operations endpoints")
struct OperationsTests {
    @Test("/health and /ready answer 200 as plain text")
    func healthAndReady() async throws {
        try await TestApp.test { client, _ in
            let health = try await client.execute(uri: "/health", method: .get)
            #expect(health.status == .ok)
            #expect(health.text == "ok\n")
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(ready.text == "ready\n")
        }
    }

    @Test("/ready answers 503 when the database is gone")
    func notReadyWithoutDatabase() async throws {
        try await TestApp.test { client, database in
            await database.close()
            let ready = try await client.execute(uri: "/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(!ready.text.contains("SQLite"))  // no internals
        }
    }

    @Test("/metrics counts requests by route and status and records latency")
    func metrics() async throws {
        try await TestApp.test { client, _ in
            _ = try await client.execute(uri: "/topics/http", method: .get)
            _ = try await client.execute(uri: "/topics/nope", method: .get)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            let text = metrics.text
            #expect(text.contains(#"http_requests_total{method="GET",route="/topics/{id}",status="200"} 1"#))
            #expect(text.contains(#"http_requests_total{method="GET",route="/topics/{id}",status="404"} 1"#))
            #expect(text.contains(#"http_request_duration_seconds_bucket{route="/topics/{id}""#))
        }
    }
}
