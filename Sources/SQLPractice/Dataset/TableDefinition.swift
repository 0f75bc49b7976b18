/// One table of the practice dataset, described once: the same value writes the `CREATE TABLE`
/// statement and the schema table learners read, so the documentation cannot drift from the data.
public struct TableDefinition: Sendable {
    public let name: String
    /// What a row is, in one sentence.
    public let summary: String
    public let columns: [ColumnDefinition]
    /// Set when the primary key spans several columns; a one-column key is marked on its column.
    public let compositeKey: [String]?
    /// Extra indexes (beyond primary keys and UNIQUE columns), by name.
    public let indexes: [IndexDefinition]

    init(_ name: String, _ summary: String, columns: [ColumnDefinition], compositeKey: [String]? = nil, indexes: [IndexDefinition] = []) {
        self.name = name
        self.summary = summary
        self.columns = columns
        self.compositeKey = compositeKey
        self.indexes = indexes
    }

    var createStatement: String {
        var lines = columns.map(\.definition)
        if let compositeKey { lines.append("PRIMARY KEY (\(compositeKey.joined(separator: ", ")))") }
        lines += columns.compactMap { column in column.references.map { "FOREIGN KEY (\(column.name)) REFERENCES \($0.table) (\($0.column))" } }
        return "CREATE TABLE \(name) (\n    " + lines.joined(separator: ",\n    ") + "\n)"
    }
}

/// A column: its SQL type, whether it may be NULL (and what NULL means there), keys and a note.
public struct ColumnDefinition: Sendable {
    /// The two storage types the dataset uses (money in cents and dates as ISO text need no others).
    public enum SQLType: String, Sendable {
        case integer = "INTEGER"
        case text = "TEXT"
    }

    public let name: String
    public let type: SQLType
    public let nullable: Bool
    public let isPrimaryKey: Bool
    public let isUnique: Bool
    public let references: (table: String, column: String)?
    public let check: String?
    /// What the value means, for the schema table ("NULL while the order has not shipped").
    public let note: String

    init(
        _ name: String, _ type: SQLType, nullable: Bool = false, primaryKey: Bool = false, unique: Bool = false,
        references: (table: String, column: String)? = nil, check: String? = nil, _ note: String
    ) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.isPrimaryKey = primaryKey
        self.isUnique = unique
        self.references = references
        self.check = check
        self.note = note
    }

    var definition: String {
        var parts = [name, type.rawValue]
        if isPrimaryKey { parts.append("PRIMARY KEY") }
        if !nullable && !isPrimaryKey { parts.append("NOT NULL") }
        if isUnique { parts.append("UNIQUE") }
        if let check { parts.append("CHECK (\(check))") }
        return parts.joined(separator: " ")
    }
}

/// A secondary index the dataset ships with; exercises on indexes must pick columns without one.
public struct IndexDefinition: Sendable {
    public let name: String
    public let columns: [String]
    public let isUnique: Bool

    init(_ name: String, on columns: [String], unique: Bool = false) {
        self.name = name
        self.columns = columns
        self.isUnique = unique
    }
}
