import CSystemSQLite

/// One attempt, start to finish, on the calling thread (in a sandbox process): checks the text, opens
/// its own connection — the read-only dataset, or a private in-memory copy of it for exercises that
/// change data — applies the limits and the guard, prepares every statement before running any
/// (so a `; DROP TABLE …` tail is refused before the first statement runs), runs them, then the
/// exercise's inspections.
struct SandboxSession {
    let request: SandboxRequest
    let limits: SandboxLimits
    let datasetPath: String
    let guardian: SandboxGuard

    /// A learner's statement, prepared (so checked by the authorizer) before any statement runs.
    private struct Prepared {
        let statement: SQLiteStatement
        let keyword: String
    }

    /// The learner's mistakes come back as a failure; only an unusable dataset file throws.
    func run() throws(SQLiteFailure) -> Result<SandboxRun, SandboxError> {
        if let problem = textProblem() { return .failure(problem) }
        let connection = try open()
        guardian.attach(to: connection.handle)
        defer { guardian.detach(from: connection.handle) }
        do throws(SandboxError) {
            return .success(try execute(try prepare(on: connection), on: connection))
        } catch {
            return .failure(error)
        }
    }

    private func textProblem() -> SandboxError? {
        let text = request.sql
        if text.utf8.count > limits.maxSQLLength {
            return SandboxError(
                .invalidText,
                "Your SQL is \(text.utf8.count.grouped) bytes long; the most accepted is \(limits.maxSQLLength.grouped). A practice answer fits in a few lines."
            )
        }
        if let nul = text.utf8.firstIndex(of: 0) {
            return SandboxError(
                .invalidText, "Your SQL contains a NUL character (byte 0), which cannot be part of a statement: remove it.",
                at: TextPosition(byteOffset: text.utf8.distance(from: text.utf8.startIndex, to: nul), in: text))
        }
        if text.allSatisfy(\.isWhitespace) {
            return SandboxError(.invalidText, "There is no SQL to run: write a statement, e.g. SELECT name FROM warehouses.")
        }
        return nil
    }

    private func open() throws(SQLiteFailure) -> SQLiteConnection {
        let dataset = try SQLiteConnection.openImmutable(path: datasetPath)
        let connection: SQLiteConnection
        if request.policy == .readOnly {
            connection = dataset
        } else {
            connection = try SQLiteConnection.openWritable(path: nil)
            try connection.copy(from: dataset)
            try connection.execute("PRAGMA foreign_keys = ON")
        }
        try connection.execute("PRAGMA temp_store = MEMORY")
        let handle = connection.handle
        let limitsByKind: [(Int32, Int)] = [
            (SQLITE_LIMIT_LENGTH, limits.maxValueLength), (SQLITE_LIMIT_SQL_LENGTH, limits.maxSQLLength + 2_000),
            (SQLITE_LIMIT_COLUMN, 100), (SQLITE_LIMIT_EXPR_DEPTH, 100), (SQLITE_LIMIT_COMPOUND_SELECT, 50),
            (SQLITE_LIMIT_FUNCTION_ARG, 32), (SQLITE_LIMIT_ATTACHED, 0), (SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 500),
            (SQLITE_LIMIT_VARIABLE_NUMBER, 10), (SQLITE_LIMIT_TRIGGER_DEPTH, 1), (SQLITE_LIMIT_WORKER_THREADS, 0),
        ]
        for (kind, value) in limitsByKind { sqlite3_limit(handle, kind, Int32(value)) }
        _ = groundwork_sqlite3_db_config_flag(handle, SQLITE_DBCONFIG_DEFENSIVE, 1)
        for option in [SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, SQLITE_DBCONFIG_TRUSTED_SCHEMA, SQLITE_DBCONFIG_ENABLE_TRIGGER] {
            _ = groundwork_sqlite3_db_config_flag(handle, option, 0)
        }
        return connection
    }

    // MARK: preparing

    private func prepare(on connection: SQLiteConnection) throws(SandboxError) -> [Prepared] {
        let bytes = Array(request.sql.utf8)
        var prepared: [Prepared] = []
        var offset = 0
        while offset < bytes.count {
            guardian.forgetRefusal()
            let start = bytes[offset...].firstIndex { ![9, 10, 13, 32].contains($0) } ?? bytes.count
            var handle: OpaquePointer?
            var next = bytes.count
            let code = bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { characters in
                    var tail: UnsafePointer<CChar>?
                    let code = sqlite3_prepare_v3(connection.handle, characters.baseAddress! + offset, Int32(bytes.count - offset), 0, &handle, &tail)
                    if let tail { next = tail - characters.baseAddress! }
                    return code
                }
            }
            if code != SQLITE_OK || handle != nil, prepared.count == request.maxStatements {
                sqlite3_finalize(handle)
                throw tooManyStatements(secondStartsAt: start)
            }
            if code != SQLITE_OK {
                throw failure(connection, code: code, statementOffset: offset, number: request.maxStatements > 1 ? prepared.count + 1 : nil)
            }
            guard let handle else {
                // Only comments or an empty statement (";") here; go on after it.
                if next <= offset { break }
                offset = next
                continue
            }
            let statement = SQLiteStatement(handle: handle)
            let keyword = AccessPolicy.firstKeyword(of: statement.sql)
            if let refusal = request.policy.refusal(keyword: keyword) {
                throw SandboxError(.refused, refusal, at: TextPosition(byteOffset: start, in: request.sql))
            }
            prepared.append(Prepared(statement: statement, keyword: keyword))
            offset = next
        }
        guard !prepared.isEmpty else {
            throw SandboxError(
                .invalidText, "There is no statement to run, only comments or semicolons: write one, e.g. SELECT name FROM warehouses.")
        }
        return prepared
    }

    private func tooManyStatements(secondStartsAt start: Int) -> SandboxError {
        let allowed = request.maxStatements
        let message =
            allowed == 1
            ? "Your SQL holds more than one statement, and this exercise takes exactly one: remove everything from the second statement on, which starts here."
            : "Your SQL holds more than \(allowed) statements, the most this exercise takes: statement \(allowed + 1) starts here."
        return SandboxError(.tooManyStatements, message, at: TextPosition(byteOffset: start, in: request.sql))
    }

    // MARK: running

    private func execute(_ prepared: [Prepared], on connection: SQLiteConnection) throws(SandboxError) -> SandboxRun {
        let handle = connection.handle
        let changesBefore = sqlite3_total_changes64(handle)
        var rows: ResultSet?
        var outside: [Int] = []
        var transaction = 0
        var writingTransactions = Set<Int>()
        for (index, item) in prepared.enumerated() {
            let wasAutocommit = sqlite3_get_autocommit(handle) != 0
            if !item.statement.isReadOnly && item.keyword != "CREATE" {
                if wasAutocommit { outside.append(index + 1) } else { writingTransactions.insert(transaction) }
            }
            let result = try collect(item.statement, on: connection, number: index + 1, of: prepared.count)
            if !result.columns.isEmpty { rows = result }
            if wasAutocommit && sqlite3_get_autocommit(handle) == 0 { transaction += 1 }
        }
        let changed = Int(sqlite3_total_changes64(handle) - changesBefore)
        let leftOpen = sqlite3_get_autocommit(handle) == 0
        if leftOpen {
            guardian.deadline = .now + limits.timePerStatement
            try? connection.execute("ROLLBACK")
        }
        let inspections = try request.inspections.map { sql throws(SandboxError) in try inspect(sql, on: connection) }
        return SandboxRun(
            rows: rows, rowsChanged: changed, inspections: inspections,
            writesOutsideTransaction: outside, transactionsWithWrites: writingTransactions.count, transactionLeftOpen: leftOpen)
    }

    /// Runs a trusted query of the exercise after the learner's statements.
    private func inspect(_ sql: String, on connection: SQLiteConnection) throws(SandboxError) -> ResultSet {
        let statement: SQLiteStatement
        do {
            statement = try SQLiteStatement.prepareOne(on: connection, sql: sql)
        } catch {
            throw SandboxError(
                .database,
                "After your statements, the exercise's own check could not run (\(error.message)). Did a change remove something the exercise needs?")
        }
        return try collect(statement, on: connection, number: 1, of: 1)
    }

    private func collect(_ statement: SQLiteStatement, on connection: SQLiteConnection, number: Int, of count: Int) throws(SandboxError) -> ResultSet
    {
        guardian.deadline = .now + limits.timePerStatement
        let columns = statement.columnNames
        var rows: [[SQLValue]] = []
        var bytes = 0
        while true {
            let code = statement.step()
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw failure(connection, code: code, statementOffset: nil, number: count > 1 ? number : nil) }
            guard rows.count < limits.maxRows else {
                throw SandboxError(
                    .tooManyRows,
                    "\(Self.label(number, count))returns more than \(limits.maxRows.grouped) rows, the most a practice result may have: narrow it with WHERE, or add a LIMIT."
                )
            }
            let row = statement.row()
            bytes += row.reduce(0) { $0 + $1.storedSize }
            guard bytes <= limits.maxResultBytes else {
                throw SandboxError(
                    .resultTooLarge,
                    "\(Self.label(number, count))returns more than \(limits.maxResultBytes.grouped) bytes of data, the most a practice result may have: select fewer or shorter columns."
                )
            }
            rows.append(row)
        }
        return ResultSet(columns: columns, rows: rows)
    }

    /// SQLite's error in the learner's words: the limit that stopped it, or SQLite's own message.
    /// `statementOffset` is where the statement's text starts (SQLite reports positions from there).
    private func failure(_ connection: SQLiteConnection, code: Int32, statementOffset: Int?, number: Int?) -> SandboxError {
        let subject = number.map { "Statement \($0)" } ?? "Your query"
        switch code & 0xff {
        case _ where guardian.refusal != nil, SQLITE_AUTH:
            let start = statementOffset.map { offset in request.sql.utf8.dropFirst(offset).prefix { [9, 10, 13, 32].contains($0) }.count + offset }
            return SandboxError(
                .refused, guardian.refusal ?? "That is not allowed here.", at: start.map { TextPosition(byteOffset: $0, in: request.sql) })
        case SQLITE_INTERRUPT where guardian.timedOut:
            return SandboxError(
                .timeLimit,
                "\(subject) ran for more than \(limits.timePerStatement.secondsText) and was stopped. Practice queries finish in milliseconds: look for a join without its ON condition, or a recursive CTE that never stops."
            )
        case SQLITE_NOMEM:
            return SandboxError(
                .resultTooLarge,
                "\(subject) needed more memory than the practice server allows: it probably builds far more rows than it returns (a join without its ON condition?)."
            )
        case SQLITE_TOOBIG:
            return SandboxError(.resultTooLarge, "\(subject) built a value longer than \(limits.maxValueLength.grouped) bytes, the most allowed.")
        default:
            let failure = connection.failure(code: code)
            let position = statementOffset.flatMap { start in failure.offset.map { TextPosition(byteOffset: start + $0, in: request.sql) } }
            return SandboxError(.database, (number.map { "Statement \($0): " } ?? "") + failure.message, at: position)
        }
    }

    private static func label(_ number: Int, _ count: Int) -> String {
        count > 1 ? "Statement \(number) " : "Your query "
    }
}

extension SQLValue {
    /// Bytes the value takes in a result, for the size limit.
    var storedSize: Int {
        switch self {
        case .null: 1
        case .integer, .real: 8
        case .text(let text): text.utf8.count
        case .blob(let bytes): bytes.count
        }
    }
}

extension Int {
    /// 1000000 → "1,000,000": how the practice pages and messages write counts.
    public var grouped: String {
        let digits = String(magnitude)
        let groups = stride(from: digits.count, to: 0, by: -3).map { end in
            String(digits[digits.index(digits.startIndex, offsetBy: Swift.max(0, end - 3))..<digits.index(digits.startIndex, offsetBy: end)])
        }
        return (self < 0 ? "-" : "") + groups.reversed().joined(separator: ",")
    }
}

extension Duration {
    /// 2 s → "2 seconds", 0.5 s → "0.5 seconds".
    var secondsText: String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        let text = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
        return text + (seconds == 1 ? " second" : " seconds")
    }
}
