import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabRunner
import Learning
import Storage
import Synchronization
import TestSupport
import Testing
import Web

/// Export and import as a learner meets them: everything they have comes out as JSON (checked
/// against the committed schema) and Markdown, goes into a fresh server whole, and comes out
/// equal; a second import changes nothing; a file with any problem stores nothing.
@Suite("Export and import")
struct DataExportTests {
    /// Holds what one app's test hands to the next.
    final class Carried: Sendable {
        private let value = Mutex<Data>(Data())
        var data: Data {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }

    /// A learner with a bit of everything: progress, notes, a quiz attempt with a miss (so a
    /// review is scheduled), a real lab run uploaded through the API, and SQL practice.
    static func seed(_ client: any TestClientProtocol, _ database: Database, learnerID: String = "personal", cookies: String? = nil) async throws {
        var headers = jsonHeaders
        if let cookies { headers[.cookie] = cookies }
        let progress = try await client.execute(
            uri: "/api/v1/progress/http", method: .put, headers: headers, body: ByteBuffer(string: #"{"state":"done"}"#))
        #expect(progress.status == .ok)
        #expect(try await NotesTests.put(client, "http", "ETags: *weak* vs **strong**", cookies: cookies).status == .ok)
        #expect(try await NotesTests.put(client, "redis", "A, AAAA, CNAME — and `dig +trace`", cookies: cookies).status == .ok)
        let quiz = SQLQuizRepository(database: database)
        try await quiz.recordAttempt(
            learnerID: learnerID, topicID: "http",
            answers: [
                QuizAnswer(questionIndex: 0, promptHash: "p0", isCorrect: true), QuizAnswer(questionIndex: 1, promptHash: "p1", isCorrect: false),
            ],
            now: 1_780_000_000)
        let upload = try await client.execute(
            uri: "/api/v1/lab-runs", method: .post, headers: headers, body: ByteBuffer(string: try await LabRunAPITests.report()))
        #expect(upload.status == .created)
        try await SQLExerciseProgressRepository(database: database).recordAttempt(
            learnerID: learnerID, exerciseID: "customers-in-city", query: "SELECT name FROM customers", solved: true, now: 1_780_000_100)
    }

    static func export(_ client: any TestClientProtocol, cookies: String? = nil) async throws -> Data {
        let response = try await client.execute(uri: "/api/v1/export", method: .get, headers: cookies.map { [.cookie: $0] } ?? [:])
        #expect(response.status == .ok)
        #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"groundwork-export-") == true)
        return Data(buffer: response.body)
    }

    static func importFile(_ client: any TestClientProtocol, _ body: Data, dryRun: Bool = false, cookies: String? = nil) async throws -> TestResponse
    {
        var headers = jsonHeaders
        if let cookies { headers[.cookie] = cookies }
        return try await client.execute(uri: "/api/v1/import?dryRun=\(dryRun)", method: .post, headers: headers, body: ByteBuffer(bytes: body))
    }

    /// The export without its export time, keys sorted, for comparing two exports.
    static func withoutTime(_ data: Data) throws -> String {
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        object["exportedAt"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func changes(_ response: TestResponse) throws -> [String] {
        try response.json()["changes"] as? [String] ?? []
    }

    @Test(
        "round trip: export, import into a fresh database, export again — equal but for the time; a second import changes nothing",
        arguments: DatabaseKind.allCases)
    func roundTrip(kind: DatabaseKind) async throws {
        let carried = Carried()
        try await TestApp.test(on: kind) { client, database in
            try await Self.seed(client, database)
            carried.data = try await Self.export(client)
        }
        let first = try Self.withoutTime(carried.data)
        let sections = try #require(try JSONSerialization.jsonObject(with: carried.data) as? [String: Any])
        // The export really holds each kind of record (so "equal" below compares something).
        for section in ["progress", "notes", "quizAttempts", "reviewSchedule", "labRuns", "sqlExercises", "activity"] {
            #expect((sections[section] as? [Any])?.isEmpty == false, "the export's \(section) is empty")
        }
        let run = try #require((sections["labRuns"] as? [[String: Any]])?.first)
        #expect(((run["report"] as? [String: Any])?["stages"] as? [Any])?.isEmpty == false, "a lab run carries its step transcript")

        try await TestApp.test(on: kind) { client, _ in
            // MUT
            let imported = try await Self.importFile(client, carried.data)
            // validate
            #expect(imported.status == .ok)
            #expect(try imported.json()["imported"] as? Bool == true)
            // one progress, two notes, one quiz attempt, its missed question on the review schedule, one lab run, one exercise
            #expect(try Self.changes(imported).count == 7)
            let second = try await Self.export(client)
            #expect(try Self.withoutTime(second) == first)

            let again = try await Self.importFile(client, carried.data)
            #expect(again.status == .ok)
            #expect(try Self.changes(again) == [])
            #expect(try again.json()["imported"] as? Bool == false)
            #expect(try Self.withoutTime(try await Self.export(client)) == first)

            // What was imported is what the pages show: the note renders on its topic and is listed.
            let topic = try await client.execute(uri: "/topics/http", method: .get)
            #expect(topic.text.contains("ETags: <em>weak</em> vs <strong>strong</strong>"))
        }
    }

    @Test("a real export is valid against docs/export.schema.json, and a file of another version is not")
    func schema() async throws {
        let carried = Carried()
        try await TestApp.test { client, database in
            try await Self.seed(client, database)
            carried.data = try await Self.export(client)
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gw-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appendingPathComponent("export.json")
        try carried.data.write(to: good)
        var other = try #require(try JSONSerialization.jsonObject(with: carried.data) as? [String: Any])
        other["version"] = 2
        let bad = folder.appendingPathComponent("v2.json")
        try JSONSerialization.data(withJSONObject: other).write(to: bad)

        #expect(try Self.validate(good) == "valid")
        #expect(try Self.validate(bad).contains("version"))
    }

    /// Runs python3's jsonschema (Draft 2020-12, with format checks) on a file.
    static func validate(_ file: URL) throws -> String {
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            jsonschema.Draft202012Validator.check_schema(schema)
            errors = list(jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(json.load(open(sys.argv[2]))))
            print("valid" if not errors else "\\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, TestApp.repositoryRoot.appendingPathComponent("docs/export.schema.json").path, file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 with jsonschema must be installed (.ci/run installs it)")
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("the newer change wins for progress and notes; a dry run lists the changes and stores nothing", arguments: DatabaseKind.allCases)
    func mergeRules(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, database in
            // setup: here, http is done now and redis has a note written now
            _ = try await client.execute(
                uri: "/api/v1/progress/http", method: .put, headers: jsonHeaders, body: ByteBuffer(string: #"{"state":"done"}"#))
            _ = try await NotesTests.put(client, "redis", "written here, today")
            let file = """
                {"format": "groundwork-export", "version": 1,
                 "progress": [{"topicId": "http", "state": "learning", "updatedAt": "2020-01-01T00:00:00.000Z"},
                              {"topicId": "redis", "state": "learning", "updatedAt": "2999-01-01T00:00:00.000Z"}],
                 "notes": [{"topicId": "redis", "text": "an old note", "updatedAt": "2020-01-01T00:00:00.000Z"},
                           {"topicId": "http", "text": "a note from the laptop", "updatedAt": "2020-01-01T00:00:00.000Z"}]}
                """

            // MUT: a dry run first
            let preview = try await Self.importFile(client, Data(file.utf8), dryRun: true)
            #expect(preview.status == .ok)
            #expect(try Self.changes(preview) == ["Progress on redis: learning (new here).", "Note on http: added."])
            #expect(try await SQLNoteRepository(database: database).note(learnerID: "personal", topicID: "http") == nil)

            let imported = try await Self.importFile(client, Data(file.utf8))
            let previewed = try Self.changes(preview)
            #expect(try Self.changes(imported) == previewed)
            let progress = SQLProgressRepository(database: database)
            #expect(try await progress.state(learnerID: "personal", topicID: "http") == .done)  // here is newer
            #expect(try await progress.state(learnerID: "personal", topicID: "redis") == .learning)  // the file is newer
            let notes = SQLNoteRepository(database: database)
            #expect(try await notes.note(learnerID: "personal", topicID: "redis")?.text == "written here, today")
            #expect(try await notes.note(learnerID: "personal", topicID: "http")?.text == "a note from the laptop")
            // the API's cached reads see the import at once
            let listed = try await client.execute(uri: "/api/v1/notes/http", method: .get)
            #expect(try listed.json()["text"] as? String == "a note from the laptop")
        }
    }

    @Test("the Markdown export holds the roadmap, each topic's state, the notes under their topics and the lab runs")
    func markdown() async throws {
        try await TestApp.test { client, database in
            try await Self.seed(client, database)
            let response = try await client.execute(uri: "/api/v1/export?format=markdown", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/markdown; charset=utf-8")
            let text = response.text
            #expect(text.hasPrefix("# Your Groundwork record"))
            #expect(text.contains("- [x] **HTTP** — done"))
            #expect(text.contains("    > ETags: *weak* vs **strong**"))
            #expect(text.contains("  - Quiz: best 1 of 2, 1 attempt"))
            #expect(text.contains("| http-basics | passed |"))
            #expect(text.contains("- customers-in-city: solved, 1 attempt"))
            let wrong = try await client.execute(uri: "/api/v1/export?format=pdf", method: .get)
            #expect(wrong.status == .badRequest)
        }
    }

    @Test("the Your data page is linked from the navigation and offers both downloads and the import")
    func page() async throws {
        try await TestApp.test { client, database in
            try await Self.seed(client, database)
            let home = try await client.execute(uri: "/", method: .get)
            #expect(home.text.contains(#"<a href="/data">Your data</a>"#))
            let page = try await client.execute(uri: "/data", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("You have progress on 1 topic, 2 notes, 1 quiz attempt, 1 lab run and 1 SQL exercise tried."))
            #expect(page.text.contains(#"href="/api/v1/export" download>Download JSON"#))
            #expect(page.text.contains(#"href="/api/v1/export?format=markdown" download>Download Markdown"#))
            #expect(page.text.contains(#"data-import="/api/v1/import""#))
        }
    }

    @Test("export times keep every millisecond, across leap days and up to 9999; impossible or zoned times are refused")
    func times() {
        for milliseconds: Int64 in [0, 999, 951_782_400_000, 1_709_164_800_123, 1_780_000_000_250, 253_402_300_799_999] {
            #expect(ExportTime.milliseconds(ExportTime.text(milliseconds: milliseconds)) == milliseconds)
        }
        #expect(ExportTime.text(milliseconds: 1_709_164_800_123) == "2024-02-29T00:00:00.123Z")
        #expect(ExportTime.milliseconds("2024-02-29T00:00:00.5Z") == 1_709_164_800_500)
        for refused in [
            "2026-02-29T00:00:00Z", "1969-12-31T23:59:59Z", "2026-01-01T24:00:00Z", "2026-01-01T10:00:00+02:00", "2026-01-01", "yesterday",
        ] {
            #expect(ExportTime.milliseconds(refused) == nil, "\(refused)")
        }
    }
}
