import Foundation
import Testing

/// `groundwork export` and `groundwork import` as an operator meets them: the real binary, a data
/// folder each, a file carried from one to the other.
@Suite("groundwork export and import", .serialized)
struct ExportCommandTests {
    static let file = """
        {"format": "groundwork-export", "version": 1,
         "progress": [{"topicId": "http", "state": "done", "updatedAt": "2026-03-01T10:00:00.000Z"}],
         "notes": [{"topicId": "http", "text": "304 means *use your copy*", "updatedAt": "2026-03-01T10:05:00.250Z"}],
         "quizAttempts": [{"id": "0190a1b2-attempt", "topicId": "http", "correct": 1, "total": 2, "takenAt": "2026-03-01T10:10:00.000Z",
                           "answers": [{"questionIndex": 0, "promptHash": "p0", "isCorrect": true}, {"questionIndex": 1, "promptHash": "p1", "isCorrect": false}]}],
         "reviewSchedule": [{"topicId": "http", "promptHash": "p1", "questionIndex": 1, "rightInARow": 0, "dueAt": "2026-03-02T10:10:00.000Z"}],
         "sqlExercises": [{"exerciseId": "customers-in-city", "solved": true, "attempts": 3, "lastQuery": "SELECT 1", "solvedAt": "2026-03-01T11:00:00.000Z", "updatedAt": "2026-03-01T11:00:00.000Z"}]}
        """

    static func folder(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-\(name)-\(UUID().uuidString)").path
    }

    static func exported(_ path: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
    }

    /// The export without its export time, keys sorted, for comparing two exports.
    static func withoutTime(_ path: String) throws -> String {
        var object = try exported(path)
        object["exportedAt"] = nil
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("a dry run lists the changes and stores nothing; the import stores them; the export carries them to a second data folder unchanged")
    func carryAcross() async throws {
        let (laptop, server) = (Self.folder("laptop"), Self.folder("server"))
        let input = Self.folder("input") + ".json"
        try Data(Self.file.utf8).write(to: URL(fileURLWithPath: input))
        defer { for path in [laptop, server, input] { try? FileManager.default.removeItem(atPath: path) } }

        // MUT: a dry run
        let dry = try await GroundworkProcess.run(["import", input, "--dry-run", "--data", laptop])
        #expect(dry.code == 0, "\(dry.err)")
        #expect(dry.out.contains("  Note on http: added."))
        #expect(dry.out.contains("Dry run: importing \(input) would make 5 changes; nothing was stored."))
        let empty = Self.folder("empty") + ".json"
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try await GroundworkProcess.run(["export", empty, "--data", laptop]).code == 0)
        #expect((try Self.exported(empty)["notes"] as? [Any])?.isEmpty == true)

        // MUT: the import, then an export to carry
        let imported = try await GroundworkProcess.run(["import", input, "--data", laptop])
        #expect(imported.code == 0, "\(imported.err)")
        #expect(imported.out.contains("Imported \(input): 5 changes."))
        let carried = Self.folder("carried") + ".json"
        defer { try? FileManager.default.removeItem(atPath: carried) }
        let export = try await GroundworkProcess.run(["export", carried, "--data", laptop])
        #expect(export.code == 0, "\(export.err)")
        let first = try Self.withoutTime(carried)
        #expect((try Self.exported(carried)["notes"] as? [[String: Any]])?.first?["updatedAt"] as? String == "2026-03-01T10:05:00.250Z")

        // validate: into a second folder, and out again, equal
        #expect(try await GroundworkProcess.run(["import", carried, "--data", server]).code == 0)
        let again = Self.folder("again") + ".json"
        defer { try? FileManager.default.removeItem(atPath: again) }
        #expect(try await GroundworkProcess.run(["export", again, "--data", server]).code == 0)
        #expect(try Self.withoutTime(again) == first)
        let twice = try await GroundworkProcess.run(["import", carried, "--data", server])
        #expect(twice.out.contains("Nothing to import: everything in \(carried) is already here."))

        // The Markdown export, to standard output.
        let markdown = try await GroundworkProcess.run(["export", "-", "--format", "markdown", "--data", server])
        #expect(markdown.code == 0)
        #expect(markdown.out.contains("- [x] **HTTP** — done"))
        #expect(markdown.out.contains("    > 304 means *use your copy*"))
    }

    @Test("a file with problems is refused: each problem on its own line as file: path: message, exit 64, nothing stored")
    func refused() async throws {
        let data = Self.folder("refused")
        let input = Self.folder("bad") + ".json"
        try Data(
            #"{"format": "groundwork-export", "version": 1, "notes": [{"topicId": "http", "text": "fine", "updatedAt": "2026-03-01T10:00:00Z"}, {"topicId": "dns", "text": 42, "updatedAt": "2026-03-01T10:00:00Z"}]}"#
                .utf8
        ).write(to: URL(fileURLWithPath: input))
        defer { for path in [data, input] { try? FileManager.default.removeItem(atPath: path) } }
        // MUT
        let result = try await GroundworkProcess.run(["import", input, "--data", data])
        // validate
        #expect(result.code == 64)
        #expect(result.err.contains("\(input): notes[1].text: expected a string, found a number."))
        #expect(result.err.contains("a problem in \(input); nothing was imported"))
        let check = Self.folder("check") + ".json"
        defer { try? FileManager.default.removeItem(atPath: check) }
        #expect(try await GroundworkProcess.run(["export", check, "--data", data]).code == 0)
        #expect((try Self.exported(check)["notes"] as? [Any])?.isEmpty == true)
    }
}
