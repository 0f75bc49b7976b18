/// One graded SQL exercise, as written in `Content/sql/*.yaml`.
///
/// `id` is stable (a learner's progress is keyed by it); `number` is its place in difficulty order
/// and what pages and the CLI call it by.
public struct Exercise: Sendable, Identifiable {
    /// How the attempt is checked.
    public enum Kind: String, Sendable, CaseIterable {
        /// The learner's query result is compared with the reference query's.
        case query
        /// The learner's statements run on a fresh copy; the `check` query's result afterwards is
        /// compared with the same query after the reference statements.
        case change
        /// The learner creates an index; the plan of `planQuery` must then use it.
        case plan
    }

    /// Where an exercise sits in the course; files of one difficulty come before harder ones.
    public enum Difficulty: String, Sendable, CaseIterable, Comparable {
        case beginner, intermediate, advanced

        public static func < (lhs: Difficulty, rhs: Difficulty) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public let id: String
    public internal(set) var number: Int
    public let title: String
    public let difficulty: Difficulty
    /// What the exercise practises ("Joins", "Window functions"); from its file.
    public let theme: String
    /// Topic ids whose pages link here.
    public let topics: [String]
    /// Markdown.
    public let prompt: String
    /// One or two, Markdown, shown one at a time on request.
    public let hints: [String]
    public let reference: String
    /// Whether row order is part of the answer (the prompt then says how to sort).
    public let ordered: Bool
    public let kind: Kind
    /// `change`: the query whose result, after the statements, is compared.
    public let check: String?
    /// `plan`: the query whose plan must use the learner's index.
    public let planQuery: String?
    /// `plan`: a phrase the plan must not contain (e.g. `USE TEMP B-TREE FOR ORDER BY`).
    public let planAvoids: String?
    /// How many statements an attempt may hold.
    public let maxStatements: Int
    /// `change`: every write must happen inside one explicit transaction that is committed.
    public let requiresTransaction: Bool
    /// Markdown, shown once the exercise is solved.
    public let explanation: String
    /// The file it came from, and the line where it starts, for problems and authors.
    public let path: String
    public let line: Int

    /// What the sandbox lets an attempt do.
    public var policy: AccessPolicy {
        switch kind {
        case .query: .readOnly
        case .change: .dataChanges
        case .plan: .createIndexes
        }
    }
}
