import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// `groundwork backup` and `groundwork restore` on the real binary and a running server.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    /// Every row of the tables a learner cares about, as text, for comparing two databases.
    static func snapshot(_ path: String) async throws -> [String] {
        let database = try await Database.sqlite(path: path, logger: TestDatabase.logger, readOnly: true)
        defer { Task { await database.close() } }
        return try await database.withSQL { sql in
            var rows: [String] = []
            for query in [
                "SELECT learner_id || '|' || topic_id || '|' || state AS row FROM progress ORDER BY 1",
                "SELECT id || '|' || email AS row FROM users ORDER BY 1",
            ] {
                rows += try await sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "row", as: String.self) }
            }
            return rows
        }
    }

    @Test("a backup taken while the server runs restores into an identical database that a new server serves")
    func backupAndRestore() async throws {
        // setup: a server with some progress
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder + "/live"])
        try await server.waitUntilServing(base + "/health")
        for (topic, state) in [("http", "done"), ("sql", "learning"), ("git", "skipped")] {
            #expect(try await GroundworkProcess.put(base + "/api/v1/progress/\(topic)", json: #"{"state":"\#(state)"}"#) == 200)
        }

        // MUT: back up while it runs, then restore into a fresh data folder
        let backup = try await GroundworkProcess.run(["backup", folder + "/backup.sqlite", "--data", folder + "/live"])
        #expect(backup.code == 0, "\(backup.err)")
        server.process.terminate()
        _ = try await server.waitForExit(timeout: .seconds(20))
        let restore = try await GroundworkProcess.run(["restore", folder + "/backup.sqlite", "--data", folder + "/restored"])
        #expect(restore.code == 0, "\(restore.err)")

        // validate: same rows, and a server on the restored data shows the progress
        let original = try await Self.snapshot(folder + "/live/groundwork.sqlite")
        let restored = try await Self.snapshot(folder + "/restored/groundwork.sqlite")
        #expect(original.count == 4)  // three progress rows and the learner
        #expect(restored == original)
        let second = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder + "/restored"])
        try await second.waitUntilServing(base + "/health")
        #expect(try await GroundworkProcess.get(base + "/api/v1/progress").body.contains(#"{"state":"skipped","topicId":"git"}"#))
        second.process.terminate()
        _ = try await second.waitForExit(timeout: .seconds(20))
    }

    @Test("restoring over a database keeps the one it replaces, and refuses files that are not backups")
    func restoreKeepsWhatWasThere() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await GroundworkProcess.run(["migrate", "--data", folder + "/a"]).code == 0)
        #expect(try await GroundworkProcess.run(["backup", folder + "/a.sqlite", "--data", folder + "/a"]).code == 0)
        #expect(try await GroundworkProcess.run(["migrate", "--data", folder + "/b"]).code == 0)

        let restore = try await GroundworkProcess.run(["restore", folder + "/a.sqlite", "--data", folder + "/b"])
        #expect(restore.code == 0, "\(restore.err)")
        #expect(restore.out.contains("The database it replaced is kept as"))
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder + "/b").filter { $0.contains(".before-restore-") }
        #expect(kept.count == 1)

        try "not a database".write(toFile: folder + "/junk.sqlite", atomically: true, encoding: .utf8)
        let junk = try await GroundworkProcess.run(["restore", folder + "/junk.sqlite", "--data", folder + "/b"])
        #expect(junk.code != 0)
        #expect(junk.err.contains("junk.sqlite"))
        #expect(junk.err.split(separator: "\n").count == 1)

        let again = try await GroundworkProcess.run(["backup", folder + "/a.sqlite", "--data", folder + "/a"])
        #expect(again.code != 0)
        #expect(again.err.contains("already exists"))
    }

    @Test("restore refuses while a server has the database open, and the server's acknowledged writes stay")
    func restoreRefusesWhileServing() async throws {
        // setup: a backup, then a server on the database with a write the backup does not have
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await GroundworkProcess.run(["migrate", "--data", folder + "/live"]).code == 0)
        #expect(try await GroundworkProcess.run(["backup", folder + "/old.sqlite", "--data", folder + "/live"]).code == 0)
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder + "/live"])
        try await server.waitUntilServing(base + "/health")
        #expect(try await GroundworkProcess.put(base + "/api/v1/progress/http", json: #"{"state":"done"}"#) == 200)

        // MUT
        let restore = try await GroundworkProcess.run(["restore", folder + "/old.sqlite", "--data", folder + "/live"])

        // validate: refused with one line; the server goes on and keeps what it acknowledged
        #expect(restore.code == 1)
        #expect(restore.err.split(separator: "\n").count == 1, "\(restore.err)")
        #expect(restore.err.contains("is in use by a running Groundwork"), "\(restore.err)")
        #expect(try await GroundworkProcess.put(base + "/api/v1/progress/sql", json: #"{"state":"learning"}"#) == 200)
        server.process.terminate()
        #expect(try await server.waitForExit(timeout: .seconds(20)) == 0)
        let rows = try await Self.snapshot(folder + "/live/groundwork.sqlite")
        #expect(rows.contains("personal|http|done"))
        #expect(rows.contains("personal|sql|learning"))

        // Once the server has stopped, the same restore goes through.
        let again = try await GroundworkProcess.run(["restore", folder + "/old.sqlite", "--data", folder + "/live"])
        #expect(again.code == 0, "\(again.err)")
    }

    @Test("backup creates the folder it writes into")
    func backupCreatesFolder() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await GroundworkProcess.run(["backup", folder + "/backups/2026/groundwork.sqlite", "--data", folder + "/data"])
        #expect(result.code == 0, "\(result.err)")
        #expect(FileManager.default.fileExists(atPath: folder + "/backups/2026/groundwork.sqlite"))
    }

    @Test("migrate and serve refuse a database migrated by a newer groundwork, saying so in one line")
    func newerSchemaRefused() async throws {
        // setup: a database that records a migration this build does not know
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try await GroundworkProcess.run(["migrate", "--data", folder]).code == 0)
        let database = try await Database.sqlite(path: folder + "/groundwork.sqlite", logger: TestDatabase.logger)
        let future = Migrations.latestVersion + 1
        try await database.transaction { sql in
            try await sql.raw("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: future), 'from the future', 0)").run()
        }
        await database.close()

        for command in [["migrate"], ["serve", "--port", "\(try GroundworkProcess.freePort())"]] {
            // MUT
            let result = try await GroundworkProcess.run(command + ["--data", folder])
            // validate
            #expect(result.code == 1, "\(command[0]): \(result.out)")
            #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
            #expect(
                result.err.contains("schema is version \(future), newer than this groundwork knows (\(Migrations.latestVersion))"), "\(result.err)")
            #expect(!result.out.contains("up to date"))
        }
    }
}
