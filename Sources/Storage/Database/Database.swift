import Foundation
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit

/// Where Groundwork keeps its data: an embedded SQLite file (the default) or a PostgreSQL server.
///
/// Repositories never see which one it is: they get an `SQLDatabase` and write SQL that both
/// dialects accept. Writes go through ``transaction(_:)`` so a multi-statement change is all or nothing.
public final class Database: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    public let kind: Kind
    private let backend: Backend

    private enum Backend: Sendable {
        case sqlite(SQLitePool, SQLiteWriter, path: String, lock: DatabaseLock?)
        case postgres(PostgresConnector)
    }

    private init(kind: Kind, backend: Backend) {
        self.kind = kind
        self.backend = backend
    }

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode with `synchronous=FULL`:
    /// every commit is fsynced to the write-ahead log before it is acknowledged, so it survives a
    /// crash of the process and of the machine.
    ///
    /// A file that cannot be opened, is damaged, or sits on a full or read-only disk fails with
    /// ``DatabaseError/cannotOpen(_:)``, one line saying what to do. While it is open, every
    /// process holds a shared lock on `<path>.lock`, so `restore` can tell that it is in use.
    public static func sqlite(path: String, logger: Logger, readOnly: Bool = false) async throws -> Database {
        try await sqlite(path: path, logger: logger, readOnly: readOnly, lock: readOnly ? nil : .shared)
    }

    static func sqlite(path: String, logger: Logger, readOnly: Bool, lock: DatabaseLock.Mode?) async throws -> Database {
        let held = try lock.map { try DatabaseLock(databasePath: path, mode: $0) }
        do {
            let pool = try await SQLitePool.open(path: path, size: readOnly ? 1 : 4, readOnly: readOnly, logger: logger)
            return Database(kind: .sqlite, backend: .sqlite(pool, SQLiteWriter(pool: pool), path: path, lock: held))
        } catch let error as DatabaseError {
            held?.release()
            throw error
        } catch {
            held?.release()
            throw DatabaseError.cannotOpen(SQLiteProblem.explain(error, path: path) ?? "cannot open \(path): \(error)")
        }
    }

    /// Connects to PostgreSQL at a `postgres://user:password@host:port/database` URL. Fails fast
    /// with ``DatabaseError/unreachable(_:)`` when the server cannot be reached or refuses the login.
    /// Later outages make requests fail at once with ``DatabaseUnavailable`` (see ``PostgresConnector``).
    public static func postgres(url: String, logger: Logger) async throws -> Database {
        let configuration = try PostgresURL(url).clientConfiguration()
        if let failure = await PostgresConnector.probe(configuration, timeout: .seconds(5), logger: logger) {
            throw DatabaseError.unreachable(failure)
        }
        return Database(kind: .postgres, backend: .postgres(PostgresConnector(configuration: configuration, logger: logger)))
    }

    /// Runs `body` with a connection; use for reads and single-statement writes.
    ///
    /// Throws ``DatabaseUnavailable`` when the database cannot do its part (PostgreSQL away, the
    /// SQLite file on a full or read-only disk): nothing was changed, and the caller may retry later.
    public func withSQL<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let pool, _, let path, _):
            do {
                return try await pool.withConnection { try await body($0.sql()) }
            } catch {
                throw Self.sqliteUnavailable(error, path: path)
            }
        case .postgres(let connector):
            return try await connector.withConnection { try await body($0.sql()) }
        }
    }

    /// Runs `body` inside one transaction: committed if it returns, rolled back if it throws.
    ///
    /// On SQLite, transactions that arrive together commit together (see ``SQLiteWriter``): `body`
    /// may then run twice, so it must do nothing but SQL.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(_, let writer, let path, _):
            do {
                return try await writer.write(body)
            } catch {
                throw Self.sqliteUnavailable(error, path: path)
            }
        case .postgres:
            return try await withSQL { sql in
                try await sql.raw("BEGIN").run()
                do {
                    let result = try await body(sql)
                    try await sql.raw("COMMIT").run()
                    return result
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// An SQLite error about the machine (disk full, read-only, damaged file) becomes
    /// ``DatabaseUnavailable``; any other error is the query's and passes unchanged.
    private static func sqliteUnavailable(_ error: any Error, path: String) -> any Error {
        guard let cause = SQLiteProblem.explain(error, path: path) else { return error }
        return DatabaseUnavailable.sqlite(cause)
    }

    /// The PostgreSQL client in use, for what plain SQL cannot do (LISTEN, in Notifications.swift);
    /// nil on SQLite. After an outage it is a new one, so ask again rather than keeping it.
    var postgresClient: PostgresClient? {
        if case .postgres(let connector) = backend { connector.client } else { nil }
    }

    /// Closes every connection; in-flight work should be finished first.
    public func close() async {
        switch backend {
        case .sqlite(let pool, _, _, let lock):
            await pool.close()
            lock?.release()
        case .postgres(let connector):
            await connector.close()
        }
    }
}

/// Errors a person running Groundwork can act on.
public enum DatabaseError: Error, CustomStringConvertible {
    case invalidURL(String)
    case unreachable(String)
    /// The SQLite file cannot be opened or used: damaged, unreadable, on a full or read-only disk,
    /// or locked by a restore.
    case cannotOpen(String)
    case migrationFailed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidURL(let message), .unreachable(let message), .cannotOpen(let message), .migrationFailed(let message),
            .unsupported(let message):
            message
        }
    }
}
