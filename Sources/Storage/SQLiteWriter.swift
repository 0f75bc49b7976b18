import SQLKit

/// SQLite's one writer in this process, committing writes that arrive together as one transaction.
///
/// Every commit waits for an fsync of the write-ahead log, and SQLite lets one writer in at a time,
/// so sixty-four learners saving at once would each wait for sixty-three fsyncs. Here the writes
/// that queue up while a commit is under way go into the next transaction together: one fsync
/// acknowledges all of them, and each caller is answered only after it. Writers also no longer
/// queue on SQLite's lock, each holding one of the few threads that connections run on.
///
/// A write that fails makes its whole batch roll back; the others are then committed one by one,
/// so one bad write never takes others down. A body may therefore run twice (its first run rolled
/// back): it must do nothing but SQL.
actor SQLiteWriter {
    private struct Write {
        let body: @Sendable (any SQLDatabase) async throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    private let pool: SQLitePool
    private var queued: [Write] = []
    private var isCommitting = false

    init(pool: SQLitePool) {
        self.pool = pool
    }

    /// Runs `body` inside a transaction and returns once that transaction has committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let result = try await withCheckedThrowingContinuation { continuation in
            queued.append(Write(body: { try await body($0) }, continuation: continuation))
            if !isCommitting {
                isCommitting = true
                Task { await commitQueued() }
            }
        }
        return result as! T  // the body above returns a T
    }

    private func commitQueued() async {
        while !queued.isEmpty {
            let batch = queued
            queued = []
            await commit(batch)
        }
        isCommitting = false
    }

    private func commit(_ batch: [Write]) async {
        do {
            let results = try await pool.withConnection { connection in
                try await Self.transaction(connection.sql(), batch.map(\.body))
            }
            for (write, result) in zip(batch, results) { write.continuation.resume(returning: result) }
        } catch {
            guard batch.count > 1 else {
                batch[0].continuation.resume(throwing: error)
                return
            }
            for write in batch { await commit([write]) }
        }
    }

    private static func transaction(_ sql: any SQLDatabase, _ bodies: [@Sendable (any SQLDatabase) async throws -> any Sendable]) async throws -> [any Sendable] {
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
