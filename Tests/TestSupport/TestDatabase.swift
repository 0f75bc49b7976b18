import Foundation
import Logging
import SQLKit
import Storage

/// The two databases every storage test runs on.
public enum DatabaseKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres
    public var description: String { rawValue }
}

/// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL database created
/// on the server named by `GROUNDWORK_TEST_POSTGRES_URL` (which `scripts/test` starts). It can be
/// opened more than once, to show that data survives a restart.
public struct TestDatabase: Sendable {
    public let kind: DatabaseKind
    private let sqlitePath: String?
    private let postgresURL: String?

    public static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }()

    /// Creates a fresh database, runs `body` with it and removes it afterwards.
    public static func with<T>(_ kind: DatabaseKind, _ body: (TestDatabase) async throws -> T) async throws -> T {
        switch kind {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            return try await body(TestDatabase(kind: kind, sqlitePath: folder.appendingPathComponent("test.sqlite").path, postgresURL: nil))
        case .postgres:
            let admin = try adminURL()
            let name = "gw_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            let server = try await Database.postgres(url: admin.absoluteString, logger: logger)
            try await server.withSQL { try await $0.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
            var components = URLComponents(url: admin, resolvingAgainstBaseURL: false)!
            components.path = "/" + name
            let database = TestDatabase(kind: kind, sqlitePath: nil, postgresURL: components.string!)
            do {
                let result = try await body(database)
                try await server.withSQL { try await $0.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await server.close()
                return result
            } catch {
                try? await server.withSQL { try await $0.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run() }
                await server.close()
                throw error
            }
        }
    }

    /// The database's URL, for starting a `groundwork` process on it (nil for SQLite).
    public var postgresConnectionURL: String? { postgresURL }

    /// Opens the database and brings its schema up to date, as `groundwork serve` does.
    public func open() async throws -> Database {
        let database = try await openWithoutMigrating()
        try await Migrations.run(on: database, logger: Self.logger)
        return database
    }

    /// Opens the database as it is, for tests that build an older schema by hand.
    public func openWithoutMigrating() async throws -> Database {
        if let sqlitePath {
            return try await Database.sqlite(path: sqlitePath, logger: Self.logger)
        }
        return try await Database.postgres(url: postgresURL!, logger: Self.logger)
    }

    /// Opens, runs `body`, closes.
    public func use<T>(_ body: (Database) async throws -> T) async throws -> T {
        let database = try await open()
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    private static func adminURL() throws -> URL {
        guard let text = ProcessInfo.processInfo.environment["GROUNDWORK_TEST_POSTGRES_URL"], let url = URL(string: text) else {
            throw MissingPostgres()
        }
        return url
    }
}

/// Storage tests must also run on PostgreSQL; this says how to provide one.
public struct MissingPostgres: Error, CustomStringConvertible {
    public var description: String {
        "GROUNDWORK_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts a throwaway PostgreSQL, or point it at one (postgres://USER@127.0.0.1:PORT/postgres)"
    }
}

/// Whether `error` is the database refusing a row for breaking a CHECK constraint (SQLite:
/// "CHECK constraint failed"; PostgreSQL: SQLSTATE 23514, "violates check constraint"), so a
/// test of a constraint cannot pass on some other error, such as a typo in its SQL.
public func isCheckConstraintViolation(_ error: any Error) -> Bool {
    let text = String(reflecting: error).lowercased()
    return text.contains("check constraint") || text.contains("23514")
}
