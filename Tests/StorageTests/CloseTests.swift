import Foundation
import Storage
import TestSupport
import Testing

/// Closing a database while a statement is still running (a background write at shutdown, such
/// as the search index) waits for it instead of pulling the connection from under it.
@Suite("Closing a database with work in flight")
struct CloseTests {
    @Test("close waits for a running statement, which finishes with its result")
    func closeWaitsForStatement() async throws {
        try await TestDatabase.with(.sqlite) { location in
            let database = try await location.open()
            let running = Task {
                try await database.withSQL { sql in
                    try await sql.raw(
                        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) AS n FROM c"
                    ).first()?.decode(column: "n", as: Int.self)
                }
            }
            try await Task.sleep(for: .milliseconds(30))
            // MUT
            await database.close()
            // validate: the statement ran to its end on an open connection; later work is refused
            #expect(try await running.value == 2_000_000)
            await #expect(throws: (any Error).self) { try await database.withSQL { try await $0.raw("SELECT 1").all() } }
        }
    }
}
