import Foundation

extension ExportDocument {
    /// Reads and checks an export file before anything is stored. Every problem is collected
    /// (up to ``maxProblems``), each as `path: message`; one is enough to refuse the file.
    /// Topic ids that `knownTopicIDs` lacks are not problems: they are kept, and named in the notices.
    public static func read(_ data: Data, knownTopicIDs: Set<String>) throws(ImportProblems) -> ExportFile {
        guard data.count <= maxBytes else {
            throw ImportProblems([
                "$: the file is \(megabytes(data.count)) MB; an import reads at most \(megabytes(maxBytes)) MB. Export again with this release, or split the file."
            ])
        }
        let root: ExportJSON
        do {
            root = try ExportJSONParser.parse(data)
        } catch {
            throw ImportProblems(["$: the file is not valid JSON (\(error.message)). Use the file groundwork export or the \"Your data\" page wrote."]
            )
        }
        var reader = ExportReader(knownTopicIDs: knownTopicIDs)
        let archive = reader.archive(root)
        if reader.problems.count > maxProblems {
            let more = reader.problems.count - maxProblems
            throw ImportProblems(Array(reader.problems.prefix(maxProblems)) + ["$: … and \(more) more problems."])
        }
        guard reader.problems.isEmpty, let archive else { throw ImportProblems(reader.problems) }
        return ExportFile(archive: archive, notices: reader.notices)
    }

    static func megabytes(_ bytes: Int) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}

extension ReviewItem {
    /// A question's place on the schedule: one per topic and prompt.
    var scheduleKey: String { topicID + "\u{0}" + promptHash }
}

/// Walks an export's JSON, checking each field and building the archive; collects problems
/// instead of stopping at the first.
struct ExportReader {
    let knownTopicIDs: Set<String>
    var problems: [String] = []
    var notices: [String] = []

    static let sections = ["progress", "notes", "quizAttempts", "reviewSchedule", "labRuns", "sqlExercises", "activity"]

    init(knownTopicIDs: Set<String>) { self.knownTopicIDs = knownTopicIDs }

    mutating func archive(_ root: ExportJSON) -> LearnerArchive? {
        guard case .object(let fields) = root else {
            problems.append("$: expected an object (the export document), found \(root.kindName).")
            return nil
        }
        guard case .string(let format) = fields["format"], format == ExportDocument.format else {
            problems.append("format: expected \"\(ExportDocument.format)\"; this file is not a Groundwork export.")
            return nil
        }
        guard case .integer(let version) = fields["version"] else {
            problems.append(
                "version: expected a whole number (this Groundwork reads version \(ExportDocument.version)), found \(fields["version"]?.kindName ?? "nothing")."
            )
            return nil
        }
        guard version == ExportDocument.version else {
            problems.append(
                "version: version \(version) is not one this Groundwork reads (it reads version \(ExportDocument.version)). Export again from a server on this release, or upgrade this one."
            )
            return nil
        }
        let known = Set(["format", "version", "exportedAt"] + Self.sections)
        for key in fields.keys.sorted() where !known.contains(key) {
            problems.append("\(key): not a field of version \(ExportDocument.version) exports; remove it.")
        }
        if let exportedAt = fields["exportedAt"] { _ = time(exportedAt, "exportedAt") }
        var archive = LearnerArchive()
        archive.progress = section(fields, "progress", unique: \.topicID) { $0.progress($1, $2) }
        archive.notes = section(fields, "notes", unique: \.topicID) { $0.note($1, $2) }
        archive.quizAttempts = section(fields, "quizAttempts", unique: \.id) { $0.quizAttempt($1, $2) }
        archive.reviewSchedule = section(fields, "reviewSchedule", unique: \.scheduleKey) { $0.reviewItem($1, $2) }
        archive.labRuns = section(fields, "labRuns", unique: \.run.id) { $0.labRun($1, $2) }
        archive.sqlExercises = section(fields, "sqlExercises", unique: \.exerciseID) { $0.sqlExercise($1, $2) }
        // The activity is counted from the records above: its entries are checked, then recounted.
        _ = section(fields, "activity", unique: \.day) { $0.activityDay($1, $2) }
        return archive
    }

    /// Reads one array section; an entry whose key repeats an earlier one is a problem (which
    /// of the two should win is the learner's call, not the importer's).
    private mutating func section<Record>(
        _ fields: [String: ExportJSON], _ name: String, unique key: (Record) -> String, _ read: (inout Self, ExportJSON, String) -> Record?
    ) -> [Record] {
        guard let value = fields[name] else { return [] }
        guard case .array(let entries) = value else {
            problems.append("\(name): expected an array, found \(value.kindName).")
            return []
        }
        var records: [Record] = []
        var seen: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            let path = "\(name)[\(index)]"
            guard let record = read(&self, entry, path) else { continue }
            if let first = seen[key(record)] {
                problems.append("\(path): repeats \(name)[\(first)]; keep one of the two.")
                continue
            }
            seen[key(record)] = index
            records.append(record)
        }
        return records
    }

    // MARK: records

    private mutating func progress(_ value: ExportJSON, _ path: String) -> LearnerArchive.Progress? {
        guard let fields = object(value, path, keys: ["topicId", "state", "updatedAt"]) else { return nil }
        let topic = topicID(fields, path)
        let state = string(fields, "state", path, maxBytes: 16).flatMap { text -> ProgressState? in
            guard let state = ProgressState(rawValue: text) else {
                problems.append("\(path).state: '\(text)' is not a state; use todo, learning, done or skipped.")
                return nil
            }
            return state
        }
        let updated = seconds(fields, "updatedAt", path)
        guard let topic, let state, let updated else { return nil }
        return LearnerArchive.Progress(topicID: topic, state: state, updatedAt: updated)
    }

    private mutating func note(_ value: ExportJSON, _ path: String) -> Note? {
        guard let fields = object(value, path, keys: ["topicId", "text", "updatedAt"]) else { return nil }
        let topic = topicID(fields, path)
        var text: String?
        if let raw = string(fields, "text", path, maxBytes: nil) {
            do {
                let checked = try NoteRules.validated(raw)
                if checked.allSatisfy(\.isWhitespace) {
                    problems.append("\(path).text: the note is empty; remove the entry, or give it text.")
                } else {
                    text = checked
                }
            } catch {
                problems.append("\(path).text: " + error.description)
            }
        }
        let updated = field(fields, "updatedAt", path).flatMap { time($0, "\(path).updatedAt") }
        guard let topic, let text, let updated else { return nil }
        return Note(topicID: topic, text: text, updatedAt: updated)
    }

    private mutating func quizAttempt(_ value: ExportJSON, _ path: String) -> LearnerArchive.QuizAttempt? {
        guard let fields = object(value, path, keys: ["id", "topicId", "correct", "total", "takenAt", "answers"]) else { return nil }
        let id = recordID(fields, path)
        let topic = topicID(fields, path)
        let correct = integer(fields, "correct", path, 0...10_000)
        let total = integer(fields, "total", path, 1...10_000)
        let taken = seconds(fields, "takenAt", path)
        var answers: [QuizAnswer]?
        if let list = field(fields, "answers", path) {
            if case .array(let entries) = list {
                var read: [QuizAnswer] = []
                var positions: Set<Int> = []
                for (index, entry) in entries.enumerated() {
                    let answerPath = "\(path).answers[\(index)]"
                    guard let answer = quizAnswer(entry, answerPath) else { continue }
                    if !positions.insert(answer.questionIndex).inserted {
                        problems.append("\(answerPath).questionIndex: \(answer.questionIndex) is answered twice in this attempt.")
                    }
                    read.append(answer)
                }
                answers = read
            } else {
                problems.append("\(path).answers: expected an array, found \(list.kindName).")
            }
        }
        guard let id, let topic, let correct, let total, let taken, let answers else { return nil }
        guard correct <= total else {
            problems.append("\(path).correct: \(correct) right answers of \(total) questions; correct cannot exceed total.")
            return nil
        }
        guard answers.count == total, answers.filter(\.isCorrect).count == correct else {
            problems.append(
                "\(path).answers: \(answers.count) answers (\(answers.filter(\.isCorrect).count) right) do not match correct \(correct) of total \(total)."
            )
            return nil
        }
        return LearnerArchive.QuizAttempt(id: id, topicID: topic, correct: correct, total: total, takenAt: taken, answers: answers)
    }

    private mutating func quizAnswer(_ value: ExportJSON, _ path: String) -> QuizAnswer? {
        guard let fields = object(value, path, keys: ["questionIndex", "promptHash", "isCorrect"]) else { return nil }
        let index = integer(fields, "questionIndex", path, 0...10_000)
        let hash = string(fields, "promptHash", path, maxBytes: 200)
        let correct = bool(fields, "isCorrect", path)
        guard let index, let hash, let correct else { return nil }
        return QuizAnswer(questionIndex: index, promptHash: hash, isCorrect: correct)
    }

    private mutating func reviewItem(_ value: ExportJSON, _ path: String) -> ReviewItem? {
        guard let fields = object(value, path, keys: ["topicId", "promptHash", "questionIndex", "rightInARow", "dueAt"]) else { return nil }
        let topic = topicID(fields, path)
        let hash = string(fields, "promptHash", path, maxBytes: 200)
        let index = integer(fields, "questionIndex", path, 0...10_000)
        let right = integer(fields, "rightInARow", path, 0...1000)
        let due = seconds(fields, "dueAt", path)
        guard let topic, let hash, let index, let right, let due else { return nil }
        return ReviewItem(topicID: topic, questionIndex: index, promptHash: hash, rightInARow: right, dueAt: due)
    }

    private mutating func labRun(_ value: ExportJSON, _ path: String) -> StoredLabRun? {
        let keys = ["id", "labId", "startedAt", "finishedAt", "passed", "stagesPassed", "stageCount", "source", "report"]
        guard let fields = object(value, path, keys: keys) else { return nil }
        let id = recordID(fields, path)
        let lab = string(fields, "labId", path, maxBytes: 200)
        let started = seconds(fields, "startedAt", path)
        let finished = seconds(fields, "finishedAt", path)
        let passed = bool(fields, "passed", path)
        let stagesPassed = integer(fields, "stagesPassed", path, 0...1000)
        let stageCount = integer(fields, "stageCount", path, 0...1000)
        let source = string(fields, "source", path, maxBytes: 16).flatMap { text -> LabRunSource? in
            guard let source = LabRunSource(rawValue: text) else {
                problems.append("\(path).source: '\(text)' is not a source; use web or upload.")
                return nil
            }
            return source
        }
        var report: String?
        if let value = field(fields, "report", path) {
            if containsNUL(value) {
                problems.append("\(path).report: contains the NUL character, which cannot be stored; remove it.")
            } else if let text = try? value.compactText() {
                if text.utf8.count > ExportDocument.maxReportBytes {
                    problems.append(
                        "\(path).report: \(text.utf8.count / 1024) KiB; a run's report holds at most \(ExportDocument.maxReportBytes / 1024) KiB.")
                } else {
                    report = text
                }
            }
        }
        guard let id, let lab, let started, let finished, let passed, let stagesPassed, let stageCount, let source, let report else { return nil }
        guard stagesPassed <= stageCount else {
            problems.append("\(path).stagesPassed: \(stagesPassed) stages passed of \(stageCount); it cannot exceed stageCount.")
            return nil
        }
        let run = LabRun(
            id: id, learnerID: "", labID: lab, startedAt: started, finishedAt: finished, passed: passed, stagesPassed: stagesPassed,
            stageCount: stageCount, source: source)
        return StoredLabRun(run: run, report: report)
    }

    private mutating func sqlExercise(_ value: ExportJSON, _ path: String) -> ExerciseProgress? {
        guard let fields = object(value, path, keys: ["exerciseId", "solved", "attempts", "lastQuery", "solvedAt", "updatedAt"]) else { return nil }
        let exercise = string(fields, "exerciseId", path, maxBytes: 200)
        let solved = bool(fields, "solved", path)
        let attempts = integer(fields, "attempts", path, 1...1_000_000)
        let query = string(fields, "lastQuery", path, maxBytes: 100_000)
        var solvedAt: Int64??
        if let value = field(fields, "solvedAt", path) {
            if value == .null {
                solvedAt = .some(nil)
            } else if let time = time(value, "\(path).solvedAt") {
                solvedAt = .some(time / 1000)
            }
        }
        let updated = seconds(fields, "updatedAt", path)
        guard let exercise, let solved, let attempts, let query, let solvedAt, let updated else { return nil }
        return ExerciseProgress(
            exerciseID: exercise, solved: solved || solvedAt != nil, attempts: attempts, lastQuery: query, solvedAt: solvedAt, updatedAt: updated)
    }

    private mutating func activityDay(_ value: ExportJSON, _ path: String) -> ActivityDay? {
        let counts = ["progressChanges", "quizAnswers", "labRuns", "sqlExercises", "notes"]
        guard let fields = object(value, path, keys: ["day"] + counts) else { return nil }
        let day = string(fields, "day", path, maxBytes: 10)
        if let day, ExportTime.milliseconds(day + "T00:00:00Z") == nil {
            problems.append("\(path).day: '\(day)' is not a day like \"2026-01-31\".")
        }
        let valid = counts.map { integer(fields, $0, path, 0...1_000_000_000) }.allSatisfy { $0 != nil }
        guard let day, valid else { return nil }
        return ActivityDay(day: day)
    }

    // MARK: fields

    private mutating func object(_ value: ExportJSON, _ path: String, keys: [String]) -> [String: ExportJSON]? {
        guard case .object(let fields) = value else {
            problems.append("\(path): expected an object, found \(value.kindName).")
            return nil
        }
        for key in fields.keys.sorted() where !keys.contains(key) {
            problems.append("\(path).\(key): not a field here; remove it.")
        }
        return fields
    }

    private mutating func field(_ fields: [String: ExportJSON], _ key: String, _ path: String) -> ExportJSON? {
        guard let value = fields[key] else {
            problems.append("\(path).\(key): missing.")
            return nil
        }
        return value
    }

    private mutating func string(_ fields: [String: ExportJSON], _ key: String, _ path: String, maxBytes: Int?) -> String? {
        guard let value = field(fields, key, path) else { return nil }
        guard case .string(let text) = value else {
            problems.append("\(path).\(key): expected a string, found \(value.kindName).")
            return nil
        }
        if text.utf8.contains(0) {
            problems.append("\(path).\(key): contains the NUL character, which cannot be stored; remove it.")
            return nil
        }
        if let maxBytes, text.utf8.count > maxBytes {
            problems.append("\(path).\(key): \(text.utf8.count) bytes long; at most \(maxBytes) fit here.")
            return nil
        }
        return text
    }

    private mutating func topicID(_ fields: [String: ExportJSON], _ path: String) -> String? {
        guard let id = string(fields, "topicId", path, maxBytes: 200) else { return nil }
        guard !id.isEmpty else {
            problems.append("\(path).topicId: empty; name the topic.")
            return nil
        }
        if !knownTopicIDs.contains(id) {
            notices.append("\(path).topicId: '\(id)' is not a topic of this roadmap; it is kept, and shows again if the topic returns.")
        }
        return id
    }

    /// An attempt's or a run's id: what makes importing it twice add it once.
    private mutating func recordID(_ fields: [String: ExportJSON], _ path: String) -> String? {
        guard let id = string(fields, "id", path, maxBytes: 100) else { return nil }
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }) else {
            problems.append("\(path).id: '\(id)' is not an id; ids are letters, digits, '-' and '_'.")
            return nil
        }
        return id
    }

    private mutating func integer(_ fields: [String: ExportJSON], _ key: String, _ path: String, _ range: ClosedRange<Int>) -> Int? {
        guard let value = field(fields, key, path) else { return nil }
        guard case .integer(let number) = value else {
            problems.append("\(path).\(key): expected a whole number, found \(value.kindName).")
            return nil
        }
        guard number >= Int64(range.lowerBound), number <= Int64(range.upperBound) else {
            problems.append("\(path).\(key): \(number) is out of range; expected \(range.lowerBound) to \(range.upperBound).")
            return nil
        }
        return Int(number)
    }

    private mutating func bool(_ fields: [String: ExportJSON], _ key: String, _ path: String) -> Bool? {
        guard let value = field(fields, key, path) else { return nil }
        guard case .bool(let flag) = value else {
            problems.append("\(path).\(key): expected true or false, found \(value.kindName).")
            return nil
        }
        return flag
    }

    /// A time stored in seconds.
    private mutating func seconds(_ fields: [String: ExportJSON], _ key: String, _ path: String) -> Int64? {
        field(fields, key, path).flatMap { time($0, "\(path).\(key)") }.map { $0 / 1000 }
    }

    /// Milliseconds since 1970.
    private mutating func time(_ value: ExportJSON, _ path: String) -> Int64? {
        guard case .string(let text) = value else {
            problems.append("\(path): expected a time like \"2026-01-31T09:30:00.000Z\", found \(value.kindName).")
            return nil
        }
        guard let milliseconds = ExportTime.milliseconds(text) else {
            problems.append("\(path): '\(text.prefix(40))' is not a time like \"2026-01-31T09:30:00.000Z\" (UTC, from 1970 to 9999).")
            return nil
        }
        return milliseconds
    }

    private func containsNUL(_ value: ExportJSON) -> Bool {
        switch value {
        case .string(let text): text.utf8.contains(0)
        case .array(let items): items.contains(where: containsNUL)
        case .object(let fields): fields.contains { $0.key.utf8.contains(0) || containsNUL($0.value) }
        default: false
        }
    }
}
