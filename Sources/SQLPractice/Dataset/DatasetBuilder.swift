import Foundation

/// Writes the practice dataset to a file: schema, then every generated row, in one transaction.
/// The file is written under a temporary name, made read-only, then renamed into place, so a
/// reader never sees half a dataset — even when two servers share the data folder.
enum DatasetBuilder {
    static func build(at url: URL, seed: UInt64) throws {
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw DatasetError(
                "cannot create \(directory.path) for the SQL practice dataset: \(error.localizedDescription); check that the data folder (--data) is writable"
            )
        }
        let partial = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: partial) }
        do {
            try write(to: partial.path, seed: seed)
        } catch {
            throw DatasetError("cannot write the SQL practice dataset to \(partial.path): \(error.message)")
        }
        do {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: partial.path)
            guard rename(partial.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            throw DatasetError("cannot move the SQL practice dataset into \(url.path): \(error.localizedDescription)")
        }
    }

    private static func write(to path: String, seed: UInt64) throws(SQLiteFailure) {
        let data = ShopGenerator.generate(seed: seed)
        let connection = try SQLiteConnection.openWritable(path: path)
        try connection.execute("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN")
        for statement in ShopSchema.createStatements where statement.hasPrefix("CREATE TABLE") {
            try connection.execute(statement)
        }
        for table in ShopSchema.tables {
            try connection.insert(into: table.name, columns: table.columns.count, rows: data.rows[table.name] ?? [])
        }
        for statement in ShopSchema.createStatements where !statement.hasPrefix("CREATE TABLE") {
            try connection.execute(statement)
        }
        try connection.execute("COMMIT")
    }
}

/// The dataset could not be built; says where and what to check.
public struct DatasetError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
