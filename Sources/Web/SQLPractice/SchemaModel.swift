import SQLPractice

/// The practice dataset documented for learners: every table with its row count, and every column
/// with its type, its keys, whether it may be NULL and what NULL means there. Built from
/// ``ShopSchema``, the same description that creates the tables.
struct SchemaModel {
    /// One column's documentation row.
    struct Column {
        let name: String
        let type: String
        /// "primary key", "unique", "part of the primary key"; empty when none.
        let keyText: String
        let hasKeyText: Bool
        let references: Bool
        let referencedTable: String
        let referencedColumn: String
        let nullable: Bool
        let note: String
    }

    /// One table: what a row is, how many there are, and its columns.
    struct Table {
        let name: String
        let summary: String
        let rowCount: String
        let columns: [Column]
    }

    let tables: [Table]
    let tableCount: Int
    let totalRows: String

    init(sizes: [String: Int]) {
        tables = ShopSchema.tables.map { table in
            Table(
                name: table.name, summary: table.summary, rowCount: (sizes[table.name] ?? 0).grouped,
                columns: table.columns.map { column in
                    var keys: [String] = []
                    if column.isPrimaryKey { keys.append("primary key") }
                    if table.compositeKey?.contains(column.name) == true { keys.append("part of the primary key") }
                    if column.isUnique { keys.append("unique") }
                    return Column(
                        name: column.name, type: column.type.rawValue, keyText: keys.joined(separator: ", "), hasKeyText: !keys.isEmpty,
                        references: column.references != nil, referencedTable: column.references?.table ?? "",
                        referencedColumn: column.references?.column ?? "", nullable: column.nullable, note: column.note)
                })
        }
        tableCount = tables.count
        totalRows = sizes.values.reduce(0, +).grouped
    }
}
