import ArgumentParser
import Foundation
import Logging
import Storage

/// `groundwork backup FILE`: a consistent snapshot of the SQLite database, taken while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the SQLite database to FILE (safe while the server runs; for PostgreSQL use pg_dump)."
    )

    @Argument(help: "Where to write the backup; must not exist yet.")
    var file: String

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        if storage.databaseURL != nil {
            throw ValidationError("backup copies the SQLite database; for PostgreSQL use pg_dump --format=custom (see the README)")
        }
        let logger = Logger.groundwork()
        let database = try await storage.openDatabase(logger: logger)
        do {
            try await SQLiteBackup.backup(database, to: file)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        print("Backed up \(storage.location) to \(file).")
    }
}

/// `groundwork restore FILE`: puts a backup in place; the database it replaces is kept beside it.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the SQLite database with a backup (stop the server first); the current one is kept."
    )

    @Argument(help: "A file written by `groundwork backup`.")
    var file: String

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        if storage.databaseURL != nil {
            throw ValidationError("restore replaces the SQLite database; for PostgreSQL use pg_restore (see the README)")
        }
        try FileManager.default.createDirectory(atPath: storage.dataDirectory, withIntermediateDirectories: true)
        let kept = try await SQLiteBackup.restore(file, to: storage.sqlitePath, logger: Logger.groundwork())
        print("Restored \(file) into \(storage.sqlitePath).")
        if let kept { print("The database it replaced is kept as \(kept).") }
    }
}
