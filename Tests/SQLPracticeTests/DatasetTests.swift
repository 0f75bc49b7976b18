import Foundation
import SQLPractice
import Testing

/// The practice dataset: the same seed always gives the same file, it is big and varied enough to
/// practise on, its keys hold, and the NULLs the schema documents really occur.
@Suite("SQL practice dataset")
struct DatasetTests {
    /// A sandbox allowed to read whole tables.
    static let reader = Sandbox(
        dataset: PracticeDataset(dataDirectory: PracticeFixture.dataDirectory),
        limits: SandboxLimits(maxRows: 50_000, maxResultBytes: 50_000_000))

    static func rows(_ sql: String) async throws -> [[SQLValue]] {
        let result = try await reader.run(SandboxRequest(sql: sql, policy: .readOnly))
        return try result.get().rows?.rows ?? []
    }

    static func count(_ sql: String) async throws -> Int64 {
        guard case .integer(let count) = try await rows(sql).first?.first else { return -1 }
        return count
    }

    @Test("the same seed builds the same file byte for byte; another seed builds other data")
    func determinism() async throws {
        // setup
        let folders = (0..<3).map { _ in PracticeFixture.temporaryFolder() }
        defer { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
        // MUT
        let first = try await PracticeDataset(dataDirectory: folders[0], seed: 7).path()
        let second = try await PracticeDataset(dataDirectory: folders[1], seed: 7).path()
        let other = try await PracticeDataset(dataDirectory: folders[2], seed: 8).path()
        // validate
        #expect(try PracticeFixture.sha256(of: first) == PracticeFixture.sha256(of: second))
        #expect(try PracticeFixture.sha256(of: first) != PracticeFixture.sha256(of: other))
        let permissions = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? Int
        #expect(permissions == 0o444, "the finished file is read-only on disk")
    }

    @Test("at least 8 tables and 10,000 rows, exactly the tables the schema documents")
    func size() async throws {
        // setup
        let practice = try PracticeFixture.practice.get()
        // MUT
        let sizes = try await practice.tableSizes()
        // validate
        #expect(sizes.count >= 8)
        #expect(sizes.values.reduce(0, +) >= 10_000)
        #expect(sizes.values.allSatisfy { $0 > 0 }, "\(sizes)")
        let tables = try await Self.rows("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").map { $0[0].display }
        #expect(tables == ShopSchema.tables.map(\.name).sorted())
    }

    @Test("every foreign key points at an existing row")
    func foreignKeys() async throws {
        for table in ShopSchema.tables {
            for column in table.columns {
                guard let target = column.references else { continue }
                // MUT
                let dangling = try await Self.count(
                    """
                    SELECT COUNT(*) FROM \(table.name) WHERE \(column.name) IS NOT NULL
                    AND \(column.name) NOT IN (SELECT \(target.column) FROM \(target.table))
                    """)
                // validate
                #expect(dangling == 0, "\(table.name).\(column.name) → \(target.table)")
            }
        }
    }

    @Test("every column documented as nullable has NULLs, and every other column has none")
    func documentedNulls() async throws {
        for table in ShopSchema.tables {
            for column in table.columns {
                // MUT
                let nulls = try await Self.count("SELECT COUNT(*) FROM \(table.name) WHERE \(column.name) IS NULL")
                // validate
                if column.nullable {
                    #expect(nulls > 0, "\(table.name).\(column.name) is documented as nullable but never NULL")
                } else {
                    #expect(nulls == 0, "\(table.name).\(column.name)")
                }
            }
        }
    }

    @Test("the data looks like a shop's: dates in range, orders after sign-up, payments that add up")
    func plausibility() async throws {
        // MUT + validate
        #expect(try await Self.count("SELECT COUNT(*) FROM orders WHERE placed_at NOT BETWEEN '2022-01-01' AND '2024-12-31 23:59:59'") == 0)
        #expect(
            try await Self.count(
                """
                SELECT COUNT(*) FROM orders JOIN customers ON customers.id = orders.customer_id WHERE date(orders.placed_at) < customers.signed_up_on
                """) == 0)
        #expect(try await Self.count("SELECT COUNT(*) FROM orders WHERE shipped_at IS NOT NULL AND shipped_at < placed_at") == 0)
        #expect(
            try await Self.count(
                """
                SELECT COUNT(*) FROM orders WHERE status IN ('paid', 'shipped', 'delivered') AND
                    (SELECT SUM(amount_cents) FROM payments WHERE order_id = orders.id) <>
                    (SELECT SUM(quantity * unit_price_cents) FROM order_items WHERE order_id = orders.id)
                """) == 0)
        #expect(try await Self.count("SELECT COUNT(*) FROM orders WHERE NOT EXISTS (SELECT 1 FROM order_items WHERE order_id = orders.id)") == 0)
    }
}
