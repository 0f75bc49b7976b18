import CSystemSQLite

/// A prepared statement: binds values, steps, and reads rows as ``SQLValue``s.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Prepares trusted SQL holding exactly one statement.
    static func prepareOne(on connection: SQLiteConnection, sql: String) throws(SQLiteFailure) -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw connection.failure(code: code) }
        return SQLiteStatement(handle: statement)
    }

    func step() -> Int32 { sqlite3_step(handle) }

    var columnNames: [String] {
        (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
    }

    /// The text of the statement as written.
    var sql: String { sqlite3_sql(handle).map { String(cString: $0) } ?? "" }

    /// True when the statement cannot change the database file (SELECT, and BEGIN/COMMIT).
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// The current row's values; call after `step()` returned `SQLITE_ROW`.
    func row() -> [SQLValue] {
        (0..<sqlite3_column_count(handle)).map { column in
            switch sqlite3_column_type(handle, column) {
            case SQLITE_INTEGER:
                return .integer(sqlite3_column_int64(handle, column))
            case SQLITE_FLOAT:
                return .real(sqlite3_column_double(handle, column))
            case SQLITE_TEXT:
                let count = Int(sqlite3_column_bytes(handle, column))
                guard let text = sqlite3_column_text(handle, column) else { return .text("") }
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            case SQLITE_BLOB:
                let count = Int(sqlite3_column_bytes(handle, column))
                guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
                return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
            default:
                return .null
            }
        }
    }

    func bind(_ values: [SQLValue]) throws(SQLiteFailure) {
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32 =
                switch value {
                case .null: sqlite3_bind_null(handle, position)
                case .integer(let number): sqlite3_bind_int64(handle, position, number)
                case .real(let number): sqlite3_bind_double(handle, position, number)
                case .text(let text): sqlite3_bind_text(handle, position, text, -1, Self.transient)
                case .blob(let bytes): bytes.withUnsafeBytes { sqlite3_bind_blob(handle, position, $0.baseAddress, Int32($0.count), Self.transient) }
                }
            guard code == SQLITE_OK else { throw SQLiteFailure(code: code, message: "cannot bind value \(index + 1)", offset: nil) }
        }
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}
