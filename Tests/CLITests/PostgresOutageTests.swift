import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Storage
import TestSupport
import Testing

/// PostgreSQL going away under a running server, on a throwaway cluster of the test's own (the
/// shared test server is never stopped): requests answer 503 with `Retry-After` within a bound
/// instead of hanging, and the server serves again within seconds of PostgreSQL's return.
@Suite("PostgreSQL outages", .serialized)
struct PostgresOutageTests {
    /// A PostgreSQL cluster in a temporary folder, on a free port of 127.0.0.1; run as the
    /// `postgres` user when the tests run as root (initdb refuses root).
    struct Cluster {
        let folder: String
        let port: Int
        let bin: String

        var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

        static func create() async throws -> Cluster {
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            guard let version = versions.sorted(by: { (Int($0) ?? 0) < (Int($1) ?? 0) }).last else {
                throw Machine.Failed(description: "PostgreSQL's server is not installed (apt-get install postgresql; .ci/run does)")
            }
            let cluster = Cluster(
                folder: ServeCommandTests.temporaryFolder(), port: try GroundworkProcess.freePort(),
                bin: "/usr/lib/postgresql/\(version)/bin")
            try FileManager.default.createDirectory(atPath: cluster.folder, withIntermediateDirectories: true)
            try await Machine.run(["/usr/bin/chown", "postgres", cluster.folder])
            try await cluster.asPostgres([cluster.bin + "/initdb", "-D", cluster.folder + "/data", "-U", "postgres", "--auth=trust"])
            try await cluster.start()
            return cluster
        }

        /// Runs a PostgreSQL tool as `postgres`, through a Python that closes every inherited
        /// descriptor: Foundation's Process sees a child exit only when all holders of a socket it
        /// passes down are gone, and the server `pg_ctl start` leaves behind would hold it forever.
        func asPostgres(_ command: [String], check: Bool = true) async throws {
            let user = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
            let closingDescriptors = ["/usr/bin/python3", "-c", "import subprocess, sys; sys.exit(subprocess.call(sys.argv[1:]))"]
            try await Machine.run(closingDescriptors + user + command, timeout: .seconds(30), check: check)
        }

        func start() async throws {
            try await asPostgres([
                bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/log", "-w", "-o",
                "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(folder) -c fsync=off", "start",
            ])
        }

        func stop() async throws {
            try await asPostgres([bin + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"])
        }

        func remove() async {
            try? await asPostgres([bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop"], check: false)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    static func send(_ method: HTTPMethod, _ url: String, json: String? = nil) async throws -> (status: Int, retryAfter: String?, seconds: Double) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let start = ContinuousClock.now
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        let elapsed = ContinuousClock.now - start
        return (
            Int(response.status.code), response.headers.first(name: "Retry-After"),
            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }

    @Test("PostgreSQL stops: 503 with Retry-After within 4 s, then at once; it returns: served again within 5 s; nothing acknowledged lost")
    func outageAndRecovery() async throws {
        let cluster = try await Cluster.create()
        do {
            // setup: a server on the cluster, with one acknowledged write
            let port = try GroundworkProcess.freePort()
            let base = "http://127.0.0.1:\(port)"
            let server = try GroundworkProcess(["serve", "--port", "\(port)", "--database", cluster.url])
            try await server.waitUntilServing(base + "/ready")
            #expect(try await Self.send(.PUT, base + "/api/v1/progress/http", json: #"{"state":"done"}"#).status == 200)

            // MUT: PostgreSQL goes away while the server idles
            try await cluster.stop()
            let first = try await Self.send(.PUT, base + "/api/v1/progress/sql", json: #"{"state":"done"}"#)
            #expect(first.status == 503)
            #expect(first.retryAfter == "5")
            #expect(first.seconds < 4, "the first write during the outage took \(first.seconds) s")
            let second = try await Self.send(.PUT, base + "/api/v1/progress/sql", json: #"{"state":"done"}"#)
            #expect(second.status == 503)
            #expect(second.seconds < 0.5, "a write once the outage is known took \(second.seconds) s")
            let ready = try await Self.send(.GET, base + "/ready")
            #expect(ready.status == 503)
            #expect(ready.seconds < 0.5)
            #expect(try await Self.send(.GET, base + "/health").status == 200)

            // PostgreSQL returns
            try await cluster.start()
            let back = ContinuousClock.now
            var recovered = false
            while ContinuousClock.now - back < .seconds(5) {
                if try await Self.send(.PUT, base + "/api/v1/progress/git", json: #"{"state":"learning"}"#).status == 200 {
                    recovered = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(recovered, "still refusing writes 5 s after PostgreSQL came back")
            print(
                "PostgreSQL outage: first 503 after \(first.seconds) s, next after \(second.seconds) s; served again \(ContinuousClock.now - back) after restart"
            )

            // validate: what was acknowledged is there; the server stops cleanly
            let progress = try await GroundworkProcess.get(base + "/api/v1/progress").body
            #expect(progress.contains(#"{"state":"done","topicId":"http"}"#))
            #expect(progress.contains(#"{"state":"learning","topicId":"git"}"#))
            server.process.terminate()
            #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
        } catch {
            await cluster.remove()
            throw error
        }
        await cluster.remove()
    }
}
