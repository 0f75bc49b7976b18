import CSystemSQLite

/// What a learner's SQL may do, decided per action SQLite asks its authorizer about, and per
/// statement by its first keyword. Nothing outside the exercise's own database is ever reachable:
/// ATTACH/DETACH (and VACUUM INTO, which attaches), PRAGMA and `load_extension` are refused in every
/// mode, and writes only ever reach the private in-memory copy of a data-change exercise.
public enum AccessPolicy: String, Sendable, CaseIterable, Codable {
    /// Queries only, on the read-only dataset.
    case readOnly
    /// INSERT, UPDATE, DELETE and transactions, on a private copy.
    case dataChanges
    /// CREATE INDEX (and queries), on a private copy.
    case createIndexes

    /// The statements each mode accepts, by first keyword.
    var keywords: Set<String> {
        let reading: Set<String> = ["SELECT", "WITH", "VALUES", "EXPLAIN"]
        return switch self {
        case .readOnly: reading
        case .dataChanges: reading.union(["INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"])
        case .createIndexes: reading.union(["CREATE"])
        }
    }

    /// Why a statement starting with `keyword` is refused, or nil when it may run.
    func refusal(keyword: String) -> String? {
        guard !keywords.contains(keyword) else { return nil }
        return switch self {
        case .readOnly:
            "\(keyword) statements are not allowed here: this exercise asks for a query (SELECT or WITH …), and the practice database is read-only."
        case .dataChanges:
            "\(keyword) statements are not allowed here: this exercise changes rows with INSERT, UPDATE or DELETE (in a transaction if you like)."
        case .createIndexes: "\(keyword) statements are not allowed here: this exercise takes a CREATE INDEX statement."
        }
    }

    /// SQLite's authorizer question, answered: nil allows the action, a text refuses it and says why.
    /// `first` and `second` are the action's two details (e.g. table and column), `database` the
    /// schema it touches ("main", "temp").
    func refusal(action: Int32, first: String?, second: String?, database: String?) -> String? {
        let internalTable = (first ?? "").lowercased().hasPrefix("sqlite_")
        switch action {
        case SQLITE_SELECT, SQLITE_READ, SQLITE_RECURSIVE:
            return nil
        case SQLITE_FUNCTION:
            let name = (second ?? "").lowercased()
            return ["load_extension", "fts3_tokenizer"].contains(name)
                ? "\(name)() is not allowed: it would load code into the database server." : nil
        case SQLITE_ATTACH, SQLITE_DETACH:
            return "ATTACH and DETACH are not allowed (nor VACUUM INTO, which attaches a file): practice SQL works on the shop's database only."
        case SQLITE_PRAGMA:
            return
                "PRAGMA \(first ?? "") is not allowed: PRAGMAs change how the database behaves. The practice page documents every table and column."
        case SQLITE_INSERT, SQLITE_UPDATE, SQLITE_DELETE:
            // CREATE INDEX records the new index by inserting into sqlite_schema.
            if self == .createIndexes, action == SQLITE_INSERT, database == "main", internalTable { return nil }
            if internalTable && self == .readOnly {
                return
                    "PRAGMA functions and schema changes are not allowed: the practice database is read-only, and the practice page documents every table and column."
            }
            guard self == .dataChanges else { return writeRefusal }
            if internalTable { return "The database's own tables (\(first ?? "sqlite_…")) cannot be changed." }
            return database == "main" ? nil : "Only the shop's tables can be changed here, not \(database ?? "other") tables."
        case SQLITE_TRANSACTION, SQLITE_SAVEPOINT:
            return self == .dataChanges ? nil : "Transactions are not needed here: this exercise runs its statement on its own."
        case SQLITE_CREATE_INDEX, SQLITE_REINDEX:
            guard self == .createIndexes else { return writeRefusal }
            return database == "main" && !((second ?? "").lowercased().hasPrefix("sqlite_"))
                ? nil : "Indexes can only be created on the shop's tables."
        default:
            return self == .createIndexes ? "Only CREATE INDEX is allowed here." : writeRefusal
        }
    }

    private var writeRefusal: String {
        switch self {
        case .readOnly: "This exercise asks for a query: the practice database is read-only, so INSERT, UPDATE, DELETE and CREATE are refused."
        case .dataChanges: "This exercise changes rows: INSERT, UPDATE and DELETE are allowed, but not CREATE, DROP or ALTER."
        case .createIndexes: "Only CREATE INDEX is allowed here."
        }
    }

    /// The first keyword of a statement, upper-cased, after any whitespace and comments.
    static func firstKeyword(of sql: String) -> String {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return "" }
                rest = rest[end.upperBound...]
            } else {
                return rest.prefix { $0.isLetter }.uppercased()
            }
        }
    }
}
