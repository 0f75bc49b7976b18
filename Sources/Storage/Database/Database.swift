import Foundation
import Logging
import NIOCore
import NIOPosix
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
        case sqlite(SQLitePool, SQLiteWriter)
        case postgres(PostgresClient, Task<Void, Never>)
    }

    private init(kind: Kind, backend: Backend) {
        self.kind = kind
        self.backend = backend
    }

    /// Opens (creating if needed) the SQLite file at `path` in WAL mode with `synchronous=FULL`:
    /// every commit is fsynced to the write-ahead log before it is acknowledged, so it survives a
    /// crash of the process and of the machine.
    public static func sqlite(path: String, logger: Logger, readOnly: Bool = false) async throws -> Database {
        let pool = try await SQLitePool.open(path: path, size: readOnly ? 1 : 4, readOnly: readOnly, logger: logger)
        return Database(kind: .sqlite, backend: .sqlite(pool, SQLiteWriter(pool: pool)))
    }

    /// Connects to PostgreSQL at a `postgres://user:password@host:port/database` URL. Fails fast
    /// with ``DatabaseError/unreachable(_:)`` when the server cannot be reached or refuses the login.
    public static func postgres(url: String, logger: Logger) async throws -> Database {
        let configuration = try PostgresURL(url).clientConfiguration()
        try await probe(configuration, logger: logger)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let run = Task { await client.run() }
        return Database(kind: .postgres, backend: .postgres(client, run))
    }

    /// Runs `body` with a connection; use for reads and single-statement writes.
    public func withSQL<T: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let pool, _):
            return try await pool.withConnection { try await body($0.sql()) }
        case .postgres(let client, _):
            return try await client.withConnection { try await body($0.sql()) }
        }
    }

    /// Runs `body` inside one transaction: committed if it returns, rolled back if it throws.
    ///
    /// On SQLite, transactions that arrive together commit together (see ``SQLiteWriter``): `body`
    /// may then run twice, so it must do nothing but SQL.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(_, let writer):
            return try await writer.write(body)
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

    /// The PostgreSQL client, for what plain SQL cannot do (LISTEN, in Notifications.swift); nil on SQLite.
    var postgresClient: PostgresClient? {
        if case .postgres(let client, _) = backend { client } else { nil }
    }

    /// Closes every connection; in-flight work should be finished first.
    public func close() async {
        switch backend {
        case .sqlite(let pool, _):
            await pool.close()
        case .postgres(_, let run):
            run.cancel()
            await run.value
        }
    }

    private static func probe(_ configuration: PostgresClient.Configuration, logger: Logger) async throws {
        guard let host = configuration.host else { return }
        let connectionConfiguration = PostgresConnection.Configuration(
            host: host, port: configuration.port ?? 5432, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable
        )
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: connectionConfiguration, id: 0, logger: logger
            )
            try await connection.close()
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw DatabaseError.unreachable("cannot connect to PostgreSQL at \(host):\(configuration.port ?? 5432): \(reason)")
        } catch {
            throw DatabaseError.unreachable("cannot connect to PostgreSQL at \(host):\(configuration.port ?? 5432): \(error)")
        }
    }
}

/// Errors a person running Groundwork can act on.
public enum DatabaseError: Error, CustomStringConvertible {
    case invalidURL(String)
    case unreachable(String)
    case migrationFailed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalidURL(let message), .unreachable(let message), .migrationFailed(let message), .unsupported(let message): message
        }
    }
}
