import AsyncHTTPClient
import Foundation
import NIOCore
import SQLKit
import Storage
import TestSupport
import Testing

/// SQLite files and disks that go wrong, on the real binary: at start, one line saying what is
/// wrong and what to do, and exit code 1 (never a crash); while running, writes answer 503 with
/// `Retry-After`, reads go on, and nothing acknowledged is lost.
@Suite("A damaged, unreadable or full database", .serialized)
struct DatabaseFailureTests {
    /// Runs `serve` on `data` and returns what it printed; it must stop by itself.
    static func serveFails(data: String, asNobody: Bool = false) async throws -> (code: Int32, err: String) {
        let port = try GroundworkProcess.freePort()
        let result = try await GroundworkProcess.run(["serve", "--port", "\(port)", "--data", data], asNobody: asNobody)
        return (result.code, result.err)
    }

    /// A migrated database with `users` extra rows, closed cleanly (no WAL left beside it).
    static func makeDatabase(at folder: String, users: Int = 0) async throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let database = try await Database.sqlite(path: folder + "/groundwork.sqlite", logger: TestDatabase.logger)
        try await Migrations.run(on: database, logger: TestDatabase.logger)
        if users > 0 {
            try await database.transaction { sql in
                for index in 0..<users {
                    try await sql.raw(
                        """
                        INSERT INTO users (id, email, password_hash, created_at)
                        VALUES (\(bind: "user-\(index)"), \(bind: "user\(index)@example.org"), \(bind: String(repeating: "x", count: 200)), 0)
                        """
                    ).run()
                }
            }
        }
        await database.close()
    }

    @Test("a file that is not a database: one line, exit 1")
    func notADatabase() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(repeating: 0xA7, count: 64 * 1024).write(to: URL(fileURLWithPath: folder + "/groundwork.sqlite"))

        let result = try await Self.serveFails(data: folder)

        #expect(result.code == 1)
        #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
        #expect(result.err.contains("groundwork.sqlite is damaged or is not an SQLite database"), "\(result.err)")
        #expect(result.err.contains("groundwork restore FILE"))
    }

    @Test("a truncated database: one line, exit 1")
    func truncated() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.makeDatabase(at: folder, users: 3000)
        let file = folder + "/groundwork.sqlite"
        let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
        #expect(size > 500_000)
        #expect(truncate(file, off_t(size / 2)) == 0)

        let result = try await Self.serveFails(data: folder)

        #expect(result.code == 1)
        #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
        #expect(result.err.contains("groundwork.sqlite is damaged"), "\(result.err)")
    }

    @Test("a database the server's user cannot read: one line, exit 1")
    func unreadable() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await Self.makeDatabase(at: folder)
        // The folder is the server user's; the file is root's alone.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: folder)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/groundwork.sqlite")

        let result = try await Self.serveFails(data: folder, asNobody: true)

        #expect(result.code == 1)
        #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
        #expect(result.err.contains("cannot open \(folder)/groundwork.sqlite"), "\(result.err)")
        #expect(result.err.contains("readable and writable by the user running Groundwork"))
    }

    @Test("a read-only data folder: one line, exit 1")
    func readOnlyFolder() async throws {
        let disk = try await Machine.SmallDisk.mount(megabytes: 8)
        do {
            try await Self.makeDatabase(at: disk.path + "/data")
            try await disk.remount(readOnly: true)

            let result = try await Self.serveFails(data: disk.path + "/data")

            #expect(result.code == 1)
            #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
            #expect(result.err.contains("read-only"), "\(result.err)")
        } catch {
            await disk.unmount()
            throw error
        }
        await disk.unmount()
    }

    @Test("a full disk at start: one line, exit 1")
    func fullDiskAtStart() async throws {
        let disk = try await Machine.SmallDisk.mount(megabytes: 2)
        do {
            try FileManager.default.createDirectory(atPath: disk.path + "/data", withIntermediateDirectories: true)
            try disk.fill()

            let result = try await Self.serveFails(data: disk.path + "/data")

            #expect(result.code == 1)
            #expect(result.err.split(separator: "\n").count == 1, "stderr was: \(result.err)")
            #expect(result.err.contains("is full"), "\(result.err)")
        } catch {
            await disk.unmount()
            throw error
        }
        await disk.unmount()
    }

    @Test("the disk fills while serving: writes answer 503 with Retry-After, reads go on, and every acknowledged write is kept")
    func diskFillsWhileServing() async throws {
        let disk = try await Machine.SmallDisk.mount(megabytes: 16)
        do {
            // setup: a server on the small disk with some progress
            let data = disk.path + "/data"
            let port = try GroundworkProcess.freePort()
            let base = "http://127.0.0.1:\(port)"
            let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
            try await server.waitUntilServing(base + "/health")
            let topics = ["http", "sql", "git", "cors", "redis", "docker"]
            var acknowledged: [String: String] = [:]
            for topic in topics.prefix(3) {
                #expect(try await GroundworkProcess.put(base + "/api/v1/progress/\(topic)", json: #"{"state":"done"}"#) == 200)
                acknowledged[topic] = "done"
            }

            // MUT: no space left
            try disk.fill()
            var refused = 0
            for round in 0..<200 {
                let topic = topics[round % topics.count]
                let state = ["learning", "skipped"][round % 2]
                let response = try await Self.put(base + "/api/v1/progress/\(topic)", json: #"{"state":"\#(state)"}"#)
                if response.status == 200 {
                    acknowledged[topic] = state
                } else {
                    #expect(response.status == 503, "\(response.body)")
                    #expect(response.retryAfter == "30")
                    #expect(response.body.contains("nothing was changed"))
                    refused += 1
                    if refused >= 3 { break }
                }
            }
            #expect(refused >= 3, "writes kept succeeding on a full disk")
            let read = try await GroundworkProcess.get(base + "/api/v1/progress")
            #expect(read.status == 200)
            #expect(try await GroundworkProcess.get(base + "/topics/http").status == 200)

            // Space again: writes work again, without a restart.
            try disk.freeSpace()
            #expect(try await GroundworkProcess.put(base + "/api/v1/progress/redis", json: #"{"state":"done"}"#) == 200)
            acknowledged["redis"] = "done"
            server.process.terminate()
            #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)

            // validate: everything acknowledged is stored
            let stored = try await BackupTests.snapshot(data + "/groundwork.sqlite")
            for (topic, state) in acknowledged {
                #expect(stored.contains("personal|\(topic)|\(state)"), "\(topic): acknowledged \(state); stored \(stored)")
            }
        } catch {
            await disk.unmount()
            throw error
        }
        await disk.unmount()
    }

    static func put(_ url: String, json: String) async throws -> (status: Int, retryAfter: String?, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), response.headers.first(name: "Retry-After"), body)
    }
}
