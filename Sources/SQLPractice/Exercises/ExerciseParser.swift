import ContentKit
import Yams

/// Turns one exercise file (a theme, its difficulty, and its exercises) into ``Exercise`` values,
/// reporting every problem at its line. Numbers are given later, once all files are read.
struct ExerciseParser {
    var reader: FieldReader

    static let fileFields = ["theme", "difficulty", "exercises"]
    static let exerciseFields = [
        "id", "title", "topics", "prompt", "hints", "ordered", "reference", "kind", "check",
        "plan_query", "plan_avoids", "statements", "transaction", "explanation",
    ]

    init(path: String) {
        reader = FieldReader(path: path)
    }

    /// The file's difficulty (for the order check) and its exercises.
    mutating func parse(_ root: Node) -> (difficulty: Exercise.Difficulty?, exercises: [Exercise]) {
        guard reader.mapping(root, known: Self.fileFields, context: "") else { return (nil, []) }
        let theme = reader.string("theme", in: root, trimmed: true)
        var difficulty: Exercise.Difficulty?
        if let text = reader.string("difficulty", in: root, trimmed: true) {
            difficulty = Exercise.Difficulty(rawValue: text)
            if difficulty == nil {
                reader.report(
                    "unknown difficulty '\(text)' (use one of: \(Exercise.Difficulty.allCases.map(\.rawValue).joined(separator: ", ")))",
                    at: root["difficulty"])
            }
        }
        guard let list = root["exercises"] else {
            reader.report("missing field 'exercises' (a list of exercises)", at: root)
            return (difficulty, [])
        }
        guard let items = list.sequence, !items.isEmpty else {
            reader.report("'exercises' must be a list with at least one exercise", at: list)
            return (difficulty, [])
        }
        let exercises = items.enumerated().compactMap { index, node in
            parseExercise(node, position: index + 1, theme: theme ?? "", difficulty: difficulty ?? .beginner)
        }
        return (difficulty, exercises)
    }

    private mutating func parseExercise(_ node: Node, position: Int, theme: String, difficulty: Exercise.Difficulty) -> Exercise? {
        var context = "exercise \(position): "
        guard node.mapping != nil else {
            reader.mapping(node, known: Self.exerciseFields, context: context)
            return nil
        }
        let id = reader.string("id", in: node, trimmed: true, context: context)
        if let id {
            context = "exercise '\(id)': "
            if id.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) == nil {
                reader.report("\(context)id must be lowercase letters, digits and dashes", at: node["id"])
            }
        }
        reader.mapping(node, known: Self.exerciseFields, context: context)
        let title = reader.string("title", in: node, trimmed: true, context: context)
        let prompt = reader.string("prompt", in: node, trimmed: true, context: context)
        let reference = reader.string("reference", in: node, trimmed: true, context: context)
        let explanation = reader.string("explanation", in: node, trimmed: true, context: context)
        let ordered = reader.bool("ordered", in: node, required: true, context: context)
        let topics = reader.strings("topics", in: node, context: context).map(\.value)
        if topics.isEmpty {
            reader.report("\(context)list at least one topic id under 'topics:' (the topic pages link to the exercise)", at: node["topics"] ?? node)
        }
        let hints = reader.strings("hints", in: node, context: context).map(\.value)
        if !(1...2).contains(hints.count) { reader.report("\(context)give one or two hints under 'hints:'", at: node["hints"] ?? node) }

        var kind = Exercise.Kind.query
        if let text = reader.string("kind", in: node, required: false, trimmed: true, context: context) {
            if let parsed = Exercise.Kind(rawValue: text) {
                kind = parsed
            } else {
                reader.report(
                    "\(context)unknown kind '\(text)' (use one of: \(Exercise.Kind.allCases.map(\.rawValue).joined(separator: ", ")))",
                    at: node["kind"])
            }
        }
        let check = reader.string("check", in: node, required: kind == .change, trimmed: true, context: context)
        let planQuery = reader.string("plan_query", in: node, required: kind == .plan, trimmed: true, context: context)
        let planAvoids = reader.string("plan_avoids", in: node, required: false, trimmed: true, context: context)
        let statements = reader.int("statements", in: node, range: 1...10, context: context) ?? 1
        let transaction = reader.bool("transaction", in: node, context: context) ?? false
        checkKindFields(node, kind: kind, transaction: transaction, statements: statements, context: context)

        guard let id, let title, let prompt, let reference, let explanation, let ordered else { return nil }
        return Exercise(
            id: id, number: 0, title: title, difficulty: difficulty, theme: theme, topics: topics, prompt: prompt,
            hints: hints, reference: reference, ordered: ordered, kind: kind, check: check, planQuery: planQuery,
            planAvoids: planAvoids, maxStatements: statements, requiresTransaction: transaction,
            explanation: explanation, path: reader.path, line: node.mark?.line ?? 1)
    }

    /// Fields that only mean something for one kind must not appear on another.
    private mutating func checkKindFields(_ node: Node, kind: Exercise.Kind, transaction: Bool, statements: Int, context: String) {
        let owners: [(field: String, kind: Exercise.Kind)] = [
            ("check", .change), ("transaction", .change), ("plan_query", .plan), ("plan_avoids", .plan),
        ]
        for (field, owner) in owners where owner != kind && node[field] != nil {
            reader.report("\(context)'\(field)' only applies to kind: \(owner.rawValue)", at: node[field])
        }
        if transaction && statements < 3 {
            reader.report("\(context)a transaction exercise needs 'statements: 3' or more (BEGIN, the changes, COMMIT)", at: node["transaction"])
        }
    }
}
