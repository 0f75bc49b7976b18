import ArgumentParser
import Foundation
import Logging
import Storage

/// Where the data lives; shared by every command that opens the database.
/// Flags win over environment variables, which win over defaults.
struct StorageOptions: ParsableArguments {
    @Option(help: "Folder for the SQLite database and other data (env GROUNDWORK_DATA; default ./.groundwork).")
    var data: String?

    @Option(help: ArgumentHelp("Use PostgreSQL instead of SQLite (env GROUNDWORK_DATABASE_URL).", valueName: "postgres://USER:PASS@HOST:PORT/DB"))
    var database: String?

    var dataDirectory: String { configuredDataDirectory ?? ".groundwork" }
    /// The data folder the operator named (flag or variable), nil when it is the default.
    var configuredDataDirectory: String? { data ?? Environment.value("GROUNDWORK_DATA") }
    var databaseURL: String? { database ?? Environment.value("GROUNDWORK_DATABASE_URL") }
    var sqlitePath: String { dataDirectory + "/groundwork.sqlite" }

    /// A human description of where data goes, for the start-up line.
    var location: String {
        if let url = databaseURL, let components = URLComponents(string: url) {
            return "PostgreSQL at \(components.host ?? "?"):\(components.port ?? 5432)\(components.path)"
        }
        return "SQLite at \(sqlitePath)"
    }

    /// Opens the database (creating the data folder for SQLite) and brings its schema up to date.
    func openDatabase(logger: Logger) async throws -> Database {
        let database: Database
        if let url = databaseURL {
            database = try await Database.postgres(url: url, logger: logger)
        } else {
            do {
                try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
            } catch {
                throw ValidationError("cannot create the data folder '\(dataDirectory)': \(error.localizedDescription)")
            }
            database = try await Database.sqlite(path: sqlitePath, logger: logger)
        }
        do {
            try await Migrations.run(on: database, logger: logger)
        } catch let error as DatabaseError {
            await database.close()
            throw error
        } catch let error as DatabaseUnavailable {
            await database.close()
            throw DatabaseError.cannotOpen(error.cause)
        } catch {
            await database.close()
            throw DatabaseError.migrationFailed("migrating the database failed: \(String(reflecting: error))")
        }
        return database
    }
}

/// Where the content files are.
struct ContentOptions: ParsableArguments {
    @Option(help: "Folder with roadmap.yaml and topics/ (env GROUNDWORK_CONTENT; default ./Content).")
    var content: String?

    var contentDirectory: URL {
        URL(fileURLWithPath: content ?? Environment.value("GROUNDWORK_CONTENT") ?? "Content")
    }

    /// `seen_in` paths are relative to the folder that holds the content folder (the checkout).
    var sourceRoot: URL { contentDirectory.standardizedFileURL.deletingLastPathComponent() }

    func validateExists() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("no content folder at '\(contentDirectory.path)': run from the Groundwork checkout or pass --content DIR")
        }
    }
}

enum Environment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}

extension Logger {
    static func groundwork(_ label: String = "groundwork") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Environment.value("GROUNDWORK_LOG_LEVEL").flatMap(Logger.Level.init(rawValue:)) ?? .info
        return logger
    }
}
