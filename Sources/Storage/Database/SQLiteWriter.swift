import SQLKit

/// SQLite's one writer in this process, committing transactions that arrive together as one.
///
/// Every commit waits for an fsync of the write-ahead log, and SQLite lets one writer in at a time,
/// so sixty-four learners saving at once would each wait for sixty-three commits. Here the
/// transactions that queue up while a commit is under way go into the next one together (see
/// ``Batcher``): one fsync acknowledges all of them, and each caller is answered only after it.
/// Writers also no longer queue on SQLite's lock, each holding one of the few threads that
/// connections run on.
///
/// A body that fails makes its whole batch roll back, and the others are then committed one by
/// one: a body may therefore run twice (its first run rolled back), so it must do nothing but SQL.
struct SQLiteWriter: Sendable {
    typealias Body = @Sendable (any SQLDatabase) async throws -> any Sendable

    private let batcher: Batcher<Body, any Sendable>

    init(pool: SQLitePool) {
        batcher = Batcher { bodies in
            try await pool.withConnection { connection in
                let sql = connection.sql()
                try await sql.raw("BEGIN IMMEDIATE").run()
                do {
                    var results: [any Sendable] = []
                    for body in bodies { results.append(try await body(sql)) }
                    try await sql.raw("COMMIT").run()
                    return results
                } catch {
                    try? await sql.raw("ROLLBACK").run()
                    throw error
                }
            }
        }
    }

    /// Runs `body` inside a transaction and returns once that transaction has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await batcher.submit { try await body($0) } as! T  // the body above returns a T
    }
}
