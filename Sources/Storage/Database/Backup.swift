import Foundation
import Logging
import SQLKit

/// Consistent copies of an SQLite database while it is in use, and restoring one without losing
/// what was there before.
///
/// The copy uses `VACUUM INTO`, SQLite's online snapshot: it reads inside one transaction, so
/// writers keep working and the copy is exactly the database at one moment. (PostgreSQL has
/// `pg_dump` for this; see the README.)
public enum SQLiteBackup {
    /// Writes a snapshot of `database` to `destination`, which must not exist yet.
    public static func backup(_ database: Database, to destination: String) async throws {
        guard database.kind == .sqlite else {
            throw DatabaseError.unsupported("groundwork backup copies SQLite databases; for PostgreSQL use pg_dump (see the README)")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw DatabaseError.unsupported("'\(destination)' already exists: choose a new file name, so no earlier backup is overwritten")
        }
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DatabaseError.unsupported("cannot create the folder '\(folder)' for the backup: \(error.localizedDescription)")
        }
        try await database.withSQL { sql in
            try await sql.raw("VACUUM INTO \(bind: destination)").run()
        }
    }

    /// Checks that `backup` is an intact Groundwork database this version can read.
    public static func verify(_ backup: String, logger: Logger) async throws {
        guard FileManager.default.fileExists(atPath: backup) else {
            throw DatabaseError.unsupported("there is no file '\(backup)'")
        }
        let database: Database
        do {
            database = try await Database.sqlite(path: backup, logger: logger, readOnly: true)
        } catch {
            throw DatabaseError.unsupported("'\(backup)' is not an SQLite database")
        }
        do {
            let check = try await database.withSQL {
                try await $0.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self)
            }
            guard check == "ok" else { throw DatabaseError.unsupported("'\(backup)' is damaged: \(check ?? "no answer")") }
            let newest = try await database.withSQL {
                try await $0.raw("SELECT MAX(version) AS v FROM schema_migrations").first()?.decode(column: "v", as: Int?.self)
            }
            guard let newest else { throw DatabaseError.unsupported("'\(backup)' is not a Groundwork database (it has no schema_migrations)") }
            guard newest <= Migrations.latestVersion else {
                throw DatabaseError.unsupported(
                    "'\(backup)' comes from a newer Groundwork (schema \(newest), this one knows \(Migrations.latestVersion)): upgrade first")
            }
            await database.close()
        } catch let error as DatabaseError {
            await database.close()
            throw error
        } catch {
            await database.close()
            throw DatabaseError.unsupported("'\(backup)' is not a Groundwork database: \(error)")
        }
    }

    /// Replaces the database file at `path` with `backup`. The current database (if any) is kept
    /// beside it as `<path>.before-restore-<timestamp>`, so a restore never destroys data.
    /// Returns where the previous database was kept.
    ///
    /// Refuses with ``DatabaseError/cannotOpen(_:)`` while any process has the database open (see
    /// ``DatabaseLock``): a server still running would keep writing to the file being replaced and
    /// acknowledge writes that the restore then drops.
    @discardableResult
    public static func restore(_ backup: String, to path: String, logger: Logger) async throws -> String? {
        try await verify(backup, logger: logger)
        let lock = try DatabaseLock(databasePath: path, mode: .exclusive)
        defer { lock.release() }
        let files = FileManager.default
        var kept: String?
        if files.fileExists(atPath: path) {
            // Fold the WAL into the main file first so the kept copy is complete on its own.
            let current = try await Database.sqlite(path: path, logger: logger, readOnly: false, lock: nil)
            try await current.withSQL { try await $0.raw("PRAGMA wal_checkpoint(TRUNCATE)").run() }
            await current.close()
            let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
            kept = "\(path).before-restore-\(stamp)"
            try files.moveItem(atPath: path, toPath: kept!)
            for suffix in ["-wal", "-shm"] { try? files.removeItem(atPath: path + suffix) }
        }
        let staging = path + ".restoring"
        try? files.removeItem(atPath: staging)
        try files.copyItem(atPath: backup, toPath: staging)
        try files.moveItem(atPath: staging, toPath: path)
        return kept
    }
}
