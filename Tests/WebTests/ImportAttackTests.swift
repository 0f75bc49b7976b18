import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing
import Web

/// Hostile files for the import: markup in notes is stored as text and shown escaped; huge,
/// deeply nested, mistyped and unknown-version files are refused with every problem named, and
/// nothing of a refused file is stored — not even its good parts.
@Suite("Import under attack")
struct ImportAttackTests {
    static func export(notes: String = "[]", progress: String = "[]", extra: String = "") -> Data {
        Data(#"{"format": "groundwork-export", "version": 1, "notes": \#(notes), "progress": \#(progress)\#(extra)}"#.utf8)
    }

    static func problems(_ response: TestResponse) throws -> [String] {
        try response.json()["problems"] as? [String] ?? []
    }

    /// Nothing of the learner's changed: no notes, no progress.
    static func expectNothingStored(_ database: Database) async throws {
        #expect(try await SQLNoteRepository(database: database).notes(learnerID: "personal") == [])
        #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal") == [:])
    }

    @Test(
        "script tags, javascript: links and event handlers in notes are stored as text and never rendered as markup", arguments: DatabaseKind.allCases
    )
    func markupInNotes(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, database in
            let hostile = [
                "<script>alert(1)</script>", "[click](javascript:alert(2))", "<img src=x onerror=alert(3)>",
                #"<a href="https://example.org" onclick="alert(4)">x</a>"#, "[x](JaVaScRiPt:alert(5))",
            ].joined(separator: "\n\n")
            let note = try JSONSerialization.data(withJSONObject: ["topicId": "http", "text": hostile, "updatedAt": "2026-01-01T00:00:00.000Z"])
            // MUT
            let response = try await DataExportTests.importFile(client, Self.export(notes: "[" + String(decoding: note, as: UTF8.self) + "]"))
            // validate: stored exactly, rendered inert
            #expect(response.status == .ok)
            #expect(try await SQLNoteRepository(database: database).note(learnerID: "personal", topicID: "http")?.text == hostile)
            for page in ["/topics/http", "/notes"] {
                let html = try await client.execute(uri: page, method: .get).text
                #expect(!html.contains("<script>alert"), "\(page)")
                #expect(!html.lowercased().contains("href=\"javascript:"), "\(page)")
                #expect(!html.contains("<img src=x"), "\(page)")
                #expect(!html.contains("onclick=\"alert"), "\(page)")
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page)")
            }
            let api = try await client.execute(uri: "/api/v1/notes/http", method: .get)
            let rendered = try #require(try api.json()["html"] as? String)
            #expect(!rendered.contains("<script") && !rendered.contains("<img") && !rendered.lowercased().contains("href=\"javascript"))
        }
    }

    @Test("a 10 MB body is refused with 413 before it is read, and nothing is stored")
    func tenMegabytes() async throws {
        try await TestApp.test { client, database in
            let note = #"{"topicId": "http", "text": "x", "updatedAt": "2026-01-01T00:00:00.000Z"}"#
            var body = Self.export(notes: "[" + note + "]", extra: #", "padding": ""#)
            body.removeLast(2)
            body += Data(repeating: UInt8(ascii: "a"), count: 10 * 1024 * 1024) + Data(#""}"#.utf8)
            let response = try await DataExportTests.importFile(client, body)
            #expect(response.status == .contentTooLarge)
            #expect(
                try response.json()["detail"] as? String
                    == "The file is larger than 8 MB, the most an import reads. Import the file groundwork export wrote, or split it.")
            try await Self.expectNothingStored(database)
        }
    }

    @Test("deeply nested JSON, text that is not JSON, and a document that is not an export are refused with a path and a reason")
    func malformed() async throws {
        try await TestApp.test { client, database in
            let nested = Data((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
            let cases: [(Data, String)] = [
                (nested, "$: the file is not valid JSON (line 1, column 65: the JSON is nested more than 64 levels deep)."),
                (Data("{\"format\": ".utf8), "$: the file is not valid JSON (line 1, column 12: the text ends where a value should be)."),
                (Data("[]".utf8), "$: expected an object (the export document), found an array."),
                (Data(#"{"version": 1}"#.utf8), "format: expected \"groundwork-export\"; this file is not a Groundwork export."),
                (
                    Data(
                        #"{"format": "groundwork-export", "version": 2, "notes": [{"topicId": "http", "text": "x", "updatedAt": "2026-01-01T00:00:00Z"}]}"#
                            .utf8),
                    "version: version 2 is not one this Groundwork reads (it reads version 1). Export again from a server on this release, or upgrade this one."
                ),
                (
                    Data(#"{"format": "groundwork-export", "version": "1"}"#.utf8),
                    "version: expected a whole number (this Groundwork reads version 1), found a string."
                ),
            ]
            for (body, problem) in cases {
                let response = try await DataExportTests.importFile(client, body)
                #expect(response.status == .unprocessableContent)
                #expect(response.headers[.contentType] == "application/problem+json")
                let problems = try Self.problems(response)
                #expect(problems.count == 1)
                #expect(problems.first?.hasPrefix(problem) == true, "\(problems)")
            }
            try await Self.expectNothingStored(database)
        }
    }

    @Test("wrong types are each reported as path: message, and the file's good records are not stored either", arguments: DatabaseKind.allCases)
    func wrongTypes(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, database in
            let body = Self.export(
                notes: """
                    [{"topicId": "http", "text": "a perfectly good note", "updatedAt": "2026-01-01T00:00:00.000Z"},
                     {"topicId": "dns", "text": ["not", "text"], "updatedAt": "2026-01-01T00:00:00.000Z"},
                     {"topicId": "tcp", "text": "x\\u0000y", "updatedAt": "yesterday"}]
                    """,
                progress: """
                    [{"topicId": "http", "state": 5, "updatedAt": "2026-01-01T00:00:00.000Z"},
                     {"topicId": "dns", "state": "mastered", "updatedAt": 1700000000, "colour": "red"},
                     {"topicId": "http", "state": "done", "updatedAt": "2026-01-01T00:00:00.000Z"}]
                    """,
                extra:
                    #", "quizAttempts": [{"id": "'; DROP TABLE quiz_attempts; --", "topicId": "http", "correct": 3, "total": 2, "takenAt": "2026-01-01T00:00:00Z", "answers": {}}], "labRuns": {}, "activity": [[null, null]]"#
            )
            // MUT
            let response = try await DataExportTests.importFile(client, body)
            // validate
            #expect(response.status == .unprocessableContent)
            let problems = try Self.problems(response)
            #expect(
                Set(problems)
                    == [
                        "progress[0].state: expected a string, found a number.",
                        "progress[1].colour: not a field here; remove it.",
                        "progress[1].state: 'mastered' is not a state; use todo, learning, done or skipped.",
                        "progress[1].updatedAt: expected a time like \"2026-01-31T09:30:00.000Z\", found a number.",
                        "notes[1].text: expected a string, found an array.",
                        "notes[2].text: contains the NUL character, which cannot be stored; remove it.",
                        "notes[2].updatedAt: 'yesterday' is not a time like \"2026-01-31T09:30:00.000Z\" (UTC, from 1970 to 9999).",
                        "quizAttempts[0].id: ''; DROP TABLE quiz_attempts; --' is not an id; ids are letters, digits, '-' and '_'.",
                        "quizAttempts[0].answers: expected an array, found an object.",
                        "labRuns: expected an array, found an object.",
                        "activity[0]: expected an object, found an array.",
                    ], "\(problems)")
            #expect(try response.json()["detail"] as? String == "The file has 11 problems; nothing was imported. Fix them and import again.")
            // progress[2] repeats nothing valid before it (progress[0] was refused), so it is fine on its own; still not stored.
            try await Self.expectNothingStored(database)
        }
    }

    @Test("a topic the roadmap no longer has is kept and reported, not dropped")
    func unknownTopic() async throws {
        try await TestApp.test { client, database in
            let body = Self.export(
                notes: #"[{"topicId": "gopher-protocol", "text": "still mine", "updatedAt": "2026-01-01T00:00:00.000Z"}]"#)
            let response = try await DataExportTests.importFile(client, body)
            #expect(response.status == .ok)
            #expect(
                try response.json()["notices"] as? [String]
                    == ["notes[0].topicId: 'gopher-protocol' is not a topic of this roadmap; it is kept, and shows again if the topic returns."])
            #expect(try await SQLNoteRepository(database: database).note(learnerID: "personal", topicID: "gopher-protocol")?.text == "still mine")
            #expect(try await client.execute(uri: "/notes", method: .get).text.contains("no longer in the roadmap"))
        }
    }

    @Test("in team mode an import lands in the signed-in account only, and may not claim another account's attempt", arguments: DatabaseKind.allCases)
    func teamMode(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, database in
            // setup: two learners; Ada has a quiz attempt
            let (_, ada) = try await TeamModeTests.signUp(client, email: "ada@example.org")
            let (_, bob) = try await TeamModeTests.signUp(client, email: "bob@example.org")
            let users = SQLUserRepository(database: database)
            let adaID = try #require(try await users.find(email: "ada@example.org")?.id)
            let bobID = try #require(try await users.find(email: "bob@example.org")?.id)
            try await SQLQuizRepository(database: database).recordAttempt(
                learnerID: adaID, topicID: "http", answers: [QuizAnswer(questionIndex: 0, promptHash: "p", isCorrect: true)], now: 1_780_000_000)
            let adaExport = try await DataExportTests.export(client, cookies: ada.header)
            let adaBefore = try DataExportTests.withoutTime(adaExport)
            let attemptID = try #require(
                ((try JSONSerialization.jsonObject(with: adaExport) as? [String: Any])?["quizAttempts"] as? [[String: Any]])?.first?["id"] as? String)

            // MUT: Bob imports a file with a note and Ada's attempt id
            let file = Self.export(
                notes: #"[{"topicId": "http", "text": "Bob's", "updatedAt": "2026-01-01T00:00:00.000Z"}]"#,
                extra:
                    #", "quizAttempts": [{"id": "\#(attemptID)", "topicId": "http", "correct": 1, "total": 1, "takenAt": "2026-01-01T00:00:00.000Z", "answers": [{"questionIndex": 0, "promptHash": "p", "isCorrect": true}]}]"#
            )
            let refused = try await DataExportTests.importFile(client, file, cookies: bob.header)
            #expect(refused.status == .unprocessableContent)
            #expect(
                try Self.problems(refused) == [
                    "quizAttempts[0].id: '\(attemptID)' is another account's attempt on this server; an import adds only your own."
                ])
            #expect(try await SQLNoteRepository(database: database).notes(learnerID: bobID) == [])

            // Without the attempt, the note lands in Bob's account and nowhere else.
            let accepted = try await DataExportTests.importFile(
                client, Self.export(notes: #"[{"topicId": "http", "text": "Bob's", "updatedAt": "2026-01-01T00:00:00.000Z"}]"#), cookies: bob.header)
            #expect(accepted.status == .ok)
            #expect(try await SQLNoteRepository(database: database).notes(learnerID: bobID).map(\.text) == ["Bob's"])
            #expect(try await SQLNoteRepository(database: database).notes(learnerID: adaID) == [])
            #expect(
                try DataExportTests.withoutTime(try await DataExportTests.export(client, cookies: ada.header)) == adaBefore)

            // Signed out, there is no one to import into or export.
            #expect(try await DataExportTests.importFile(client, file).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/v1/export", method: .get).status == .unauthorized)
        }
    }

    @Test("in team mode a learner may import 20 files in 10 minutes; the next is refused with 429 and Retry-After")
    func importsAreLimited() async throws {
        try await TestApp.test(.team) { client, _ in
            let (_, ada) = try await TeamModeTests.signUp(client, email: "ada@example.org")
            for _ in 0..<20 {
                #expect(try await DataExportTests.importFile(client, Self.export(), dryRun: true, cookies: ada.header).status == .ok)
            }
            let refused = try await DataExportTests.importFile(client, Self.export(), dryRun: true, cookies: ada.header)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect((try refused.json()["detail"] as? String)?.hasPrefix("You have imported 20 files in the last 10 minutes.") == true)
        }
    }
}
