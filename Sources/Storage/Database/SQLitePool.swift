import Foundation
import Logging
import SQLiteKit

/// A fixed set of SQLite connections to one file, each lent to one task at a time.
///
/// WAL mode lets readers run while a writer commits; `busy_timeout` makes a second writer wait for
/// the lock instead of failing.
actor SQLitePool {
    private var idle: [SQLiteConnection]
    private var all: [SQLiteConnection]
    private var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
    private var isClosed = false

    private init(connections: [SQLiteConnection]) {
        self.idle = connections
        self.all = connections
    }

    /// Opens `size` connections; read-only ones never write (not even the WAL switch), so opening a
    /// file to inspect it cannot change it. A writable database is checked with `quick_check`
    /// first, so a damaged file is refused at start rather than failing requests later.
    ///
    /// On failure every connection opened so far is closed before the error is thrown (SQLiteNIO
    /// asserts that connections are closed, which would turn a bad file into a crash).
    static func open(path: String, size: Int, readOnly: Bool = false, logger: Logger) async throws -> SQLitePool {
        var connections: [SQLiteConnection] = []
        let pragmas =
            readOnly
            ? ["PRAGMA query_only = ON"]
            : ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 10000"]
        do {
            for index in 0..<size {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                connections.append(connection)
                for pragma in pragmas {
                    _ = try await connection.query(pragma)
                }
                if index == 0 && !readOnly {
                    let rows = try await connection.query("PRAGMA quick_check(1)")
                    let verdict = rows.first?.column("quick_check")?.string ?? "no answer"
                    guard verdict == "ok" else {
                        throw DatabaseError.cannotOpen(
                            "\(path) is damaged (SQLite's quick_check says: \(verdict)): restore a backup with `groundwork restore FILE` (README, Backups), or move the file away to start with an empty database"
                        )
                    }
                }
            }
        } catch {
            for connection in connections { try? await connection.close() }
            throw error
        }
        return SQLitePool(connections: connections)
    }

    func withConnection<T: Sendable>(_ body: @Sendable (SQLiteConnection) async throws -> T) async throws -> T {
        let connection = try await borrow()
        defer { giveBack(connection) }
        return try await body(connection)
    }

    private func borrow() async throws -> SQLiteConnection {
        guard !isClosed else { throw DatabaseError.unreachable("the database has been closed") }
        if let connection = idle.popLast() { return connection }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func giveBack(_ connection: SQLiteConnection) {
        if waiters.isEmpty || isClosed {
            idle.append(connection)
        } else {
            waiters.removeFirst().resume(returning: connection)
        }
    }

    /// Closes every connection; later requests fail instead of waiting for a connection forever.
    /// Work already running on a connection (a background write such as the search index) is
    /// waited for, up to ten seconds: closing a connection under a running statement crashes SQLite.
    func close() async {
        guard !isClosed else { return }
        isClosed = true
        for waiter in waiters { waiter.resume(throwing: DatabaseError.unreachable("the database has been closed")) }
        waiters = []
        for _ in 0..<1000 where idle.count < all.count {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for connection in all {
            try? await connection.close()
        }
        all = []
        idle = []
    }
}
