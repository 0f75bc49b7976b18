import CSystemSQLite
import Foundation

/// What SQLite said went wrong, and where in the SQL text (a byte offset) when it knows.
struct SQLiteFailure: Error {
    let code: Int32
    let message: String
    let offset: Int?
}

/// One connection of the system's SQLite library (see `CSystemSQLite`), used by one thread at a
/// time. It is what the dataset builder writes with and what the sandbox runs learners' SQL on.
final class SQLiteConnection {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    /// Opens the file at `path` for building (created if missing), or an in-memory database when `path` is nil.
    static func openWritable(path: String?) throws(SQLiteFailure) -> SQLiteConnection {
        try open(path ?? ":memory:", flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    /// Opens a finished dataset read-only and `immutable`: SQLite takes no locks, writes no journal
    /// and refuses every write, because it is told the file can never change.
    static func openImmutable(path: String) throws(SQLiteFailure) -> SQLiteConnection {
        let uri = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
        return try open(uri, flags: SQLITE_OPEN_READONLY | SQLITE_OPEN_URI)
    }

    private static func open(_ name: String, flags: Int32) throws(SQLiteFailure) -> SQLiteConnection {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(name, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw SQLiteFailure(code: code, message: "cannot open \(name): \(message)", offset: nil)
        }
        sqlite3_extended_result_codes(handle, 1)
        return SQLiteConnection(handle: handle)
    }

    deinit {
        sqlite3_close_v2(handle)
    }

    /// Runs trusted SQL (set-up statements, never a learner's) and discards any rows.
    func execute(_ sql: String) throws(SQLiteFailure) {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteFailure(code: code, message: message, offset: nil)
        }
    }

    /// Replaces this database's content with a copy of `source` (SQLite's online backup).
    func copy(from source: SQLiteConnection) throws(SQLiteFailure) {
        guard let backup = sqlite3_backup_init(handle, "main", source.handle, "main") else { throw failure(code: sqlite3_errcode(handle)) }
        let step = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else { throw failure(code: step == SQLITE_DONE ? finish : step) }
    }

    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// The current error, with its position when SQLite reports one.
    func failure(code: Int32) -> SQLiteFailure {
        let offset = sqlite3_error_offset(handle)
        return SQLiteFailure(code: code, message: lastMessage, offset: offset >= 0 ? Int(offset) : nil)
    }

    /// Inserts `rows` into `table` with one prepared statement (the caller wraps it in a transaction).
    func insert(into table: String, columns: Int, rows: [[SQLValue]]) throws(SQLiteFailure) {
        let placeholders = Array(repeating: "?", count: columns).joined(separator: ", ")
        let statement = try SQLiteStatement.prepareOne(on: self, sql: "INSERT INTO \(table) VALUES (\(placeholders))")
        for row in rows {
            try statement.bind(row)
            guard statement.step() == SQLITE_DONE else { throw failure(code: sqlite3_errcode(handle)) }
            sqlite3_reset(statement.handle)
        }
    }
}
