import Foundation
import SQLPractice
import Testing

/// The sandbox cannot be harmed: every hostile input ends in a clear error within the time limit,
/// the dataset file is byte-for-byte unchanged afterwards, writes only ever reach a private copy,
/// and slow attempts do not hold up fast ones or the Swift concurrency pool.
@Suite("SQL sandbox", .serialized)
struct SandboxTests {
    /// One hostile input: the SQL, what it may do, and the kind of error it must end in.
    struct Hostile: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        let policy: AccessPolicy
        let maxStatements: Int
        let expected: SandboxError.Kind
        /// The time limit per statement: short, so runaways end quickly; longer for memory bombs,
        /// so that they meet the memory limit before the clock even on a busy machine.
        let timeLimit: Duration

        init(
            _ name: String, _ sql: String, _ expected: SandboxError.Kind, policy: AccessPolicy = .readOnly, maxStatements: Int = 1,
            timeLimit: Duration = .milliseconds(500)
        ) {
            self.name = name
            self.sql = sql
            self.policy = policy
            self.maxStatements = maxStatements
            self.expected = expected
            self.timeLimit = timeLimit
        }

        var testDescription: String { name }
    }

    static let otherFile = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-other-\(UUID().uuidString).sqlite").path
    static let vacuumTarget = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-vacuum-\(UUID().uuidString).sqlite").path

    static let corpus: [Hostile] = [
        Hostile("ATTACH of another file", "ATTACH DATABASE '\(otherFile)' AS other", .refused),
        Hostile("ATTACH in a data-change exercise", "ATTACH DATABASE '\(otherFile)' AS other", .refused, policy: .dataChanges),
        Hostile("DETACH", "DETACH DATABASE main", .refused, policy: .dataChanges),
        Hostile("PRAGMA writable_schema", "PRAGMA writable_schema = 1", .refused),
        Hostile(
            "PRAGMA then a schema rewrite", "PRAGMA writable_schema = 1; UPDATE sqlite_schema SET sql = ''", .refused, policy: .dataChanges,
            maxStatements: 3),
        Hostile("writing the schema table directly", "UPDATE sqlite_schema SET sql = '' WHERE name = 'orders'", .database, policy: .dataChanges),
        Hostile("a table-valued PRAGMA", "SELECT * FROM pragma_table_info('orders')", .refused),
        Hostile(
            "a recursive CTE that never ends", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r", .timeLimit),
        Hostile(
            "a recursive CTE returning rows for ever", "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r", .tooManyRows
        ),
        Hostile("an enormous cross join", "SELECT COUNT(*) FROM order_items a CROSS JOIN order_items b CROSS JOIN order_items c", .timeLimit),
        Hostile(
            "an enormous cross join in a change",
            "DELETE FROM reviews WHERE id IN (SELECT a.order_id FROM order_items a, order_items b, order_items c)", .timeLimit, policy: .dataChanges),
        Hostile("a 1 MB query", "SELECT '" + String(repeating: "x", count: 1_048_576) + "'", .invalidText),
        Hostile("NUL bytes", "SELECT 1\u{0}; DROP TABLE orders", .invalidText),
        Hostile(
            "invalid UTF-8", String(decoding: Array("SELECT ".utf8) + [0xFF, 0xFE, 0xC0] + Array(" FROM orders".utf8), as: UTF8.self), .database),
        Hostile("a ; DROP TABLE tail", "SELECT * FROM orders WHERE id = 1; DROP TABLE orders", .tooManyStatements),
        Hostile("a ; DROP TABLE tail in a change", "DELETE FROM reviews WHERE id = 1; DROP TABLE orders", .tooManyStatements, policy: .dataChanges),
        Hostile(
            "DROP TABLE where several statements are allowed", "DELETE FROM reviews WHERE id = 1; DROP TABLE orders", .refused, policy: .dataChanges,
            maxStatements: 3),
        Hostile("a write in a query exercise", "DELETE FROM orders", .refused),
        Hostile("CREATE TABLE in a query exercise", "CREATE TABLE loot AS SELECT * FROM customers", .refused),
        Hostile("a temporary table", "CREATE TEMP TABLE loot (x)", .refused, policy: .dataChanges),
        Hostile("a trigger", "CREATE TRIGGER t AFTER DELETE ON orders BEGIN SELECT 1; END", .refused, policy: .createIndexes),
        Hostile("DROP INDEX in an index exercise", "DROP INDEX orders_by_customer", .refused, policy: .createIndexes),
        Hostile("load_extension", "SELECT load_extension('/lib/x86_64-linux-gnu/libc.so.6')", .refused),
        Hostile("VACUUM INTO a file", "VACUUM INTO '\(vacuumTarget)'", .refused),
        Hostile("VACUUM INTO where changes are allowed", "VACUUM INTO '\(vacuumTarget)'", .refused, policy: .dataChanges),
        Hostile("a value of a gigabyte", "SELECT randomblob(1000000000)", .resultTooLarge),
        Hostile("a result of many megabytes", "SELECT hex(zeroblob(400000)) FROM orders LIMIT 5", .resultTooLarge),
        Hostile("a whole big table", "SELECT * FROM order_items", .tooManyRows),
        Hostile(
            "a deeply nested expression", "SELECT " + String(repeating: "(", count: 2_000) + "1" + String(repeating: ")", count: 2_000), .database),
        Hostile("a transaction in a query exercise", "BEGIN", .refused),
        Hostile("nothing at all", "  \n ", .invalidText),
        Hostile("only a comment", "-- SELECT 1", .invalidText),
        // one C-level call that never returns to the progress handler: its process is killed
        Hostile("printf with a precision of two billion", "SELECT length(printf('%.*c', 2147483647, 'x'))", .timeLimit),
        Hostile("format, printf's other name, likewise", "SELECT length(format('%.*c', 2147483647, 'x'))", .timeLimit),
        Hostile(
            "replace with a half-megabyte pattern (quadratic)", "SELECT replace(hex(zeroblob(499999)) || 'x', hex(zeroblob(250000)) || 'y', '')",
            .timeLimit),
        Hostile(
            "instr with a half-megabyte needle (quadratic)", "SELECT instr(hex(zeroblob(499999)) || 'x', hex(zeroblob(250000)) || 'y')", .timeLimit),
        // memory bombs: each ends at the value-length or the per-attempt memory limit
        Hostile("a two-gigabyte zeroblob", "SELECT length(zeroblob(2000000000))", .resultTooLarge, timeLimit: .seconds(3)),
        Hostile(
            "replace that multiplies a text", "SELECT length(replace(hex(zeroblob(400000)), '0', hex(zeroblob(400000))))", .resultTooLarge,
            timeLimit: .seconds(3)),
        Hostile(
            "json_group_array of every row", "SELECT length(json_group_array(hex(zeroblob(1000)))) FROM order_items", .resultTooLarge,
            timeLimit: .seconds(3)),
        Hostile(
            "group_concat of every row", "SELECT length(group_concat(hex(randomblob(1000)))) FROM order_items", .resultTooLarge,
            timeLimit: .seconds(3)),
        Hostile(
            "a recursive union of blobs",
            "WITH RECURSIVE r(n, b) AS (SELECT 1, randomblob(500000) UNION SELECT n + 1, randomblob(500000) FROM r) SELECT count(*) FROM r",
            .resultTooLarge, timeLimit: .seconds(3)),
        Hostile(
            "an UPDATE that grows every row of the private copy", "UPDATE reviews SET body = hex(randomblob(100000))", .resultTooLarge,
            policy: .dataChanges, timeLimit: .seconds(3)),
    ]

    @Test("every hostile input ends in a clear error within the time limit, and the dataset is unchanged", arguments: corpus)
    func hostileInput(_ hostile: Hostile) async throws {
        // setup
        let limit = hostile.timeLimit
        let sandbox = PracticeFixture.sandbox(timeLimit: limit)
        let path = try await sandbox.dataset.path()
        let before = try PracticeFixture.sha256(of: path)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: Self.otherFile))
        defer { try? FileManager.default.removeItem(atPath: Self.otherFile) }
        let clock = ContinuousClock()
        let start = clock.now
        // MUT
        let result = try await sandbox.run(SandboxRequest(sql: hostile.sql, policy: hostile.policy, maxStatements: hostile.maxStatements))
        // validate
        let elapsed = clock.now - start
        guard case .failure(let error) = result else {
            Issue.record("\(hostile.name) ran: \(result)")
            return
        }
        #expect(error.kind == hostile.expected, "\(hostile.name): \(error)")
        #expect(error.description.count > 20, "\(hostile.name): the message says what is wrong: \(error)")
        #expect(elapsed < limit * 3 + .seconds(1), "\(hostile.name) took \(elapsed)")
        #expect(try PracticeFixture.sha256(of: path) == before, "\(hostile.name) changed the dataset")
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.otherFile)) == Data("not a database".utf8))
        #expect(!FileManager.default.fileExists(atPath: Self.vacuumTarget))
    }

    @Test("refusals say what is refused and why")
    func refusalMessages() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox()
        // MUT
        let attach = try await sandbox.run(SandboxRequest(sql: "ATTACH 'x.db' AS x", policy: .readOnly))
        let pragma = try await sandbox.run(SandboxRequest(sql: "PRAGMA writable_schema = 1", policy: .readOnly))
        let tail = try await sandbox.run(SandboxRequest(sql: "SELECT 1;\n  DROP TABLE orders", policy: .readOnly))
        let syntax = try await sandbox.run(SandboxRequest(sql: "SELECT *\nFORM orders", policy: .readOnly))
        // validate
        #expect(attach.error?.message.hasPrefix("ATTACH and DETACH are not allowed") == true)
        #expect(pragma.error?.message.hasPrefix("PRAGMA writable_schema is not allowed") == true)
        #expect(tail.error?.position?.line == 2 && tail.error?.position?.column == 3)
        #expect(syntax.error?.description == "near \"FORM\": syntax error (line 2, column 1)")
        #expect(syntax.error?.position?.pointer == "FORM orders\n^")
    }

    @Test("changes reach only the attempt's private copy: the next attempt and the file see the original data")
    func changesStayPrivate() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox()
        let path = try await sandbox.dataset.path()
        let before = try PracticeFixture.sha256(of: path)
        // MUT
        let change = try await sandbox.run(
            SandboxRequest(
                sql: "DELETE FROM reviews", policy: .dataChanges,
                inspections: ["SELECT COUNT(*) FROM reviews"]))
        let after = try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM reviews", policy: .readOnly))
        // validate
        let run = try change.get()
        #expect(run.rowsChanged > 1_000)
        #expect(run.inspections.first?.rows == [[.integer(0)]])
        #expect(try after.get().rows?.rows.first?.first != .integer(0))
        #expect(try PracticeFixture.sha256(of: path) == before)
    }

    @Test("transactions are tracked: writes outside one, writes split over several, one left open and rolled back")
    func transactions() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox()
        func run(_ sql: String) async throws -> SandboxRun {
            try await sandbox.run(
                SandboxRequest(
                    sql: sql, policy: .dataChanges, maxStatements: 6,
                    inspections: ["SELECT quantity FROM stock WHERE warehouse_id = 1 AND product_id = 1"])
            ).get()
        }
        // MUT
        let outside = try await run("UPDATE stock SET quantity = 1 WHERE warehouse_id = 1 AND product_id = 1")
        let split = try await run(
            "BEGIN; UPDATE stock SET quantity = 2 WHERE product_id = 1; COMMIT; BEGIN; UPDATE stock SET quantity = 3 WHERE product_id = 1; COMMIT")
        let open = try await run("BEGIN; UPDATE stock SET quantity = 4 WHERE warehouse_id = 1 AND product_id = 1")
        let good = try await run("BEGIN; UPDATE stock SET quantity = 5 WHERE warehouse_id = 1 AND product_id = 1; COMMIT")
        // validate
        #expect(outside.writesOutsideTransaction == [1])
        #expect(split.writesOutsideTransaction.isEmpty && split.transactionsWithWrites == 2)
        #expect(open.transactionLeftOpen)
        #expect(open.inspections[0].rows != [[.integer(4)]], "an uncommitted change is rolled back")
        #expect(good.writesOutsideTransaction.isEmpty && good.transactionsWithWrites == 1 && !good.transactionLeftOpen)
        #expect(good.inspections[0].rows == [[.integer(5)]])
    }

    @Test("slow attempts hold up neither fast ones nor the Swift concurrency pool")
    func concurrency() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox(timeLimit: .seconds(3))
        _ = try await sandbox.dataset.path()
        let clock = ContinuousClock()
        let start = clock.now
        let slow = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r"
        // MUT: three runaway queries at once, then fast ones while they run, and a heartbeat on the pool
        async let runaways = withThrowingTaskGroup(of: SandboxError.Kind?.self) { group in
            for _ in 0..<3 { group.addTask { try await sandbox.run(SandboxRequest(sql: slow, policy: .readOnly)).error?.kind } }
            let kinds = try await group.reduce(into: []) { $0.append($1) }
            return (kinds, clock.now - start)
        }
        try await Task.sleep(for: .milliseconds(200))
        async let heartbeats = Self.heartbeats(for: .seconds(1))
        for _ in 0..<5 {
            _ = try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM orders", policy: .readOnly)).get()
        }
        let fastDone = clock.now - start
        // validate
        let (kinds, runawaysDone) = try await runaways
        #expect(kinds == [.timeLimit, .timeLimit, .timeLimit])
        #expect(runawaysDone >= .seconds(3))
        #expect(
            fastDone < runawaysDone - .milliseconds(500),
            "the fast queries finished \(fastDone) after the start, the runaways \(runawaysDone): they must not wait for them")
        #expect(try await heartbeats >= 5, "the concurrency pool kept running while the sandbox worked")
    }

    /// How many 50 ms sleeps a task on the concurrency pool completes in `duration`.
    static func heartbeats(for duration: Duration) async throws -> Int {
        let clock = ContinuousClock()
        let end = clock.now + duration
        var beats = 0
        while clock.now < end {
            try await Task.sleep(for: .milliseconds(50))
            beats += 1
        }
        return beats
    }

    @Test("memory bombs run in sandbox processes: four at once leave this process's memory as it was, and a query afterwards runs")
    func memoryStaysBounded() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox(timeLimit: .seconds(2))
        _ = try await sandbox.run(SandboxRequest(sql: "SELECT 1", policy: .readOnly)).get()
        let before = try #require(Self.residentBytes())
        let bombs = [
            (
                "WITH RECURSIVE r(n, b) AS (SELECT 1, randomblob(500000) UNION SELECT n + 1, randomblob(500000) FROM r) SELECT count(*) FROM r",
                AccessPolicy.readOnly
            ),
            ("UPDATE reviews SET body = hex(randomblob(100000))", .dataChanges),
            ("SELECT length(json_group_array(hex(zeroblob(1000)))) FROM order_items", .readOnly),
            ("SELECT length(printf('%.*c', 2147483647, 'x'))", .readOnly),
        ]
        // MUT
        let kinds = try await withThrowingTaskGroup(of: SandboxError.Kind?.self) { group in
            for (index, (sql, policy)) in bombs.enumerated() {
                group.addTask { try await sandbox.run(SandboxRequest(sql: sql, policy: policy), by: "attacker \(index)").error?.kind }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let after = try #require(Self.residentBytes())
        let query = try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM warehouses", policy: .readOnly)).get()
        // validate
        #expect(kinds.allSatisfy { $0 == .timeLimit || $0 == .resultTooLarge }, "\(kinds)")
        #expect(after - before < 20 << 20, "this process grew from \(before >> 20) MB to \(after >> 20) MB")
        #expect(query.rows?.rows.count == 1)
    }

    @Test("a sandbox process killed from outside while idle costs nobody their attempt")
    func idleProcessKilled() async throws {
        // setup: attempts leave idle sandbox processes behind; kill them all
        let sandbox = PracticeFixture.sandbox()
        _ = try await sandbox.run(SandboxRequest(sql: "SELECT 1", policy: .readOnly)).get()
        let idle = Self.sandboxProcesses()
        #expect(!idle.isEmpty, "an idle sandbox process waits for the next attempt")
        for pid in idle { kill(pid, SIGKILL) }
        let clock = ContinuousClock()
        let start = clock.now
        while !idle.allSatisfy(Self.hasEnded), start.duration(to: clock.now) < .seconds(2) {
            try await Task.sleep(for: .milliseconds(10))
        }
        // MUT
        let result = try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM warehouses", policy: .readOnly))
        // validate
        #expect(try result.get().rows?.rows.count == 1)
    }

    /// True once `pid` has exited (a zombie until its parent reaps it) or is gone.
    static func hasEnded(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].split(separator: " ").first == "Z"
    }

    /// The sandbox processes this process started (Linux: their parent is us, their name the program's).
    static func sandboxProcesses() -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
            else { return nil }
            let name = stat[stat.index(after: open)..<close]
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[1] == "\(getpid())" && "groundwork-sql-sandbox".hasPrefix(name) ? pid : nil
        }
    }

    /// This process's resident memory, in bytes.
    static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = statm.split(separator: " ")
        return fields.count > 1 ? Int(fields[1]).map { $0 * 4096 } : nil
    }

    @Test("one learner runs one attempt at a time: their parallel bombs wait or are answered busy, and another learner's query is not held up")
    func fairness() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox(timeLimit: .milliseconds(500))
        _ = try await sandbox.run(SandboxRequest(sql: "SELECT 1", policy: .readOnly)).get()
        let bomb = SandboxRequest(sql: "SELECT length(printf('%.*c', 2147483647, 'x'))", policy: .readOnly)
        let clock = ContinuousClock()
        // MUT: four bombs at once from one learner, then a trivial query from another
        async let loops = withThrowingTaskGroup(of: SandboxError.Kind?.self) { group in
            for _ in 0..<4 { group.addTask { try await sandbox.run(bomb, by: "learner A").error?.kind } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await Task.sleep(for: .milliseconds(200))
        let start = clock.now
        let other = try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM warehouses", policy: .readOnly), by: "learner B")
        let otherTook = start.duration(to: clock.now)
        let kinds = try await loops
        // validate
        #expect(try other.get().rows?.rows.count == 1)
        #expect(otherTook < .seconds(1), "another learner's query took \(otherTook) while learner A's bombs ran")
        #expect(kinds.filter { $0 == .busy }.count == 1, "one running and two waiting; the fourth is told to retry: \(kinds)")
        #expect(kinds.filter { $0 == .timeLimit }.count == 3, "\(kinds)")
    }

    @Test("a cancelled attempt stops at once: its sandbox process is killed")
    func cancellation() async throws {
        // setup
        let sandbox = PracticeFixture.sandbox(timeLimit: .seconds(10))
        _ = try await sandbox.dataset.path()
        let clock = ContinuousClock()
        let start = clock.now
        // MUT
        let task = Task {
            try await sandbox.run(SandboxRequest(sql: "SELECT COUNT(*) FROM order_items a, order_items b, order_items c", policy: .readOnly))
        }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let result = try await task.value
        // validate
        #expect(clock.now - start < .seconds(3))
        #expect(result.error?.kind == .timeLimit)
        #expect(result.error?.message.contains("cancelled") == true)
    }
}

extension Result where Failure == SandboxError {
    var error: SandboxError? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
