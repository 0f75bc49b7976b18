import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing
import Web

/// Clients that send half a request and wait once held their connections for ever; a few hundred
/// of them and the server accepted nobody. Over a real socket: a stuck client is cut off at its
/// deadline, and others are served meanwhile.
@Suite("Slow clients", .timeLimit(.minutes(1)))
struct SlowClientTests {
    @Test("a half-sent request head is cut off at its deadline while other clients are served")
    func halfSentHeadIsCutOff() async throws {
        var configuration = TestApp.configuration(.personal)
        configuration.clientTimeouts.head = 1
        configuration.clientTimeouts.body = 1
        configuration.maxConnections = 4
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                let app = try await buildApplication(
                    AppDependencies(configuration: configuration, roadmap: try TestApp.roadmap(), database: database), logger: Logger(label: "test")
                )
                try await app.test(.live) { client in
                    let port = try #require(client.port)
                    // MUT: four connections (the cap) that never finish their request
                    let stuck = try (0..<4).map { _ in try RawConnection(port: port) }
                    for connection in stuck { connection.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ") }
                    // validate: a well-behaved client still gets its page, once the stuck ones are cut off
                    let health = try await client.execute(uri: "/health", method: .get)
                    #expect(health.status == .ok)
                    for connection in stuck {
                        let closedAfter = try #require(connection.secondsUntilClosed(limit: 10))
                        #expect(closedAfter < 5)
                    }
                }
            }
        }
    }

    @Test("a body that never arrives is cut off at its deadline")
    func missingBodyIsCutOff() async throws {
        var configuration = TestApp.configuration(.personal)
        configuration.clientTimeouts.body = 1
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                let app = try await buildApplication(
                    AppDependencies(configuration: configuration, roadmap: try TestApp.roadmap(), database: database), logger: Logger(label: "test")
                )
                try await app.test(.live) { client in
                    let connection = try RawConnection(port: try #require(client.port))
                    connection.send(
                        "PUT /api/v1/progress/http HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                    let closedAfter = try #require(connection.secondsUntilClosed(limit: 10))
                    #expect(closedAfter < 5)
                }
            }
        }
    }
}

/// Malformed HTTP from a stranger's own client, over a real socket: a clear 400, never a 500.
@Suite("Malformed HTTP", .timeLimit(.minutes(1)))
struct MalformedHTTPTests {
    static func live(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await TestDatabase.with(.sqlite) { location in
            try await location.use { database in
                let app = try await buildApplication(
                    AppDependencies(configuration: TestApp.configuration(.personal), roadmap: try TestApp.roadmap(), database: database),
                    logger: Logger(label: "test")
                )
                try await app.test(.live) { client in try await body(try #require(client.port)) }
            }
        }
    }

    @Test("two Host headers are refused with 400")
    func duplicateHost() async throws {
        try await Self.live { port in
            let connection = try RawConnection(port: port)
            connection.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
            let response = connection.receive(limit: 5)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(80))")
        }
    }

    @Test("a malformed chunked body is refused with 400")
    func malformedChunkedBody() async throws {
        try await Self.live { port in
            let connection = try RawConnection(port: port)
            connection.send(
                "PUT /api/v1/progress/http HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            let response = connection.receive(limit: 5)
            #expect(response.hasPrefix("HTTP/1.1 400"), "\(response.prefix(80))")
        }
    }
}
