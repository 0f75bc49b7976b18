import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import SQLPractice
import Storage
import TestSupport
import Testing
import Web

/// The SQL practice pages: every exercise listed and rendered with the schema, attempts graded
/// through a plain form with a diff or the database's error, progress kept per learner (and not
/// for visitors), hostile SQL through the form harmless, and topics linking their exercises.
@Suite("SQL practice pages")
struct SQLPracticePagesTests {
    /// One dataset for the whole suite, outside the repository.
    static let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-web-sql-\(UUID().uuidString)").path
    static let exercises = Result { try ExerciseLoader(directory: TestApp.repositoryRoot.appendingPathComponent("Content/sql")).load() }

    static func practice(_ configuration: inout AppConfiguration) {
        configuration.sqlPractice = SQLPracticeConfiguration(
            exercisesDirectory: TestApp.repositoryRoot.appendingPathComponent("Content/sql").path, dataDirectory: dataDirectory
        )
    }

    /// Opens exercise `number` and returns the page with the browser's cookies.
    static func open(_ client: any TestClientProtocol, _ number: Int, jar: CookieJar = CookieJar()) async throws -> (TestResponse, CookieJar) {
        var jar = jar
        let page = try await client.execute(uri: "/sql/\(number)", method: .get, headers: [.cookie: jar.header])
        jar.take(page)
        return (page, jar)
    }

    /// Posts `query` as an answer to exercise `number`, as the page's form does.
    static func run(_ client: any TestClientProtocol, _ number: Int, _ query: String, jar: CookieJar) async throws -> TestResponse {
        try await client.execute(
            uri: "/sql/\(number)", method: .post, headers: formHeaders.with(.cookie, jar.header),
            body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("query", query)]))
    }

    static func storedAttempts(_ database: Database) async throws -> [(exercise: String, solved: Int, attempts: Int, query: String)] {
        try await database.withSQL { sql in
            try await sql.raw("SELECT exercise_id, solved, attempts, last_query FROM sql_exercise_progress ORDER BY exercise_id").all().map {
                (
                    try $0.decode(column: "exercise_id", as: String.self), try $0.decode(column: "solved", as: Int.self),
                    try $0.decode(column: "attempts", as: Int.self), try $0.decode(column: "last_query", as: String.self)
                )
            }
        }
    }

    @Test("/sql lists every exercise by difficulty and documents every table, and the main menu links to it")
    func listPage() async throws {
        let exercises = try Self.exercises.get()
        try await TestApp.test(configure: Self.practice) { client, _ in
            // MUT
            let page = try await client.execute(uri: "/sql", method: .get)
            // validate
            #expect(page.status == .ok)
            let html = page.text
            for exercise in exercises {
                #expect(html.contains(#"<a href="/sql/\#(exercise.number)">\#(exercise.title.htmlEscaped)</a>"#), "exercise \(exercise.number)")
            }
            for level in ["Beginner", "Intermediate", "Advanced"] { #expect(html.contains(">\(level) <span")) }
            for table in ShopSchema.tables {
                #expect(html.contains(#"id="table-\#(table.name)""#))
                for column in table.columns { #expect(html.contains("<code>\(column.name)</code>"), "\(table.name).\(column.name)") }
            }
            #expect(html.contains(##"→&nbsp;<a href="#table-customers">customers.id</a>"##))
            #expect(html.contains("You have solved 0 of \(exercises.count) exercises."))
            #expect(html.contains(#"<a href="/sql" aria-current="page">SQL practice</a>"#))
        }
    }

    @Test("every exercise page renders its task, hints, how it is checked and an editor with the CSRF token; an unknown number is a clear 404")
    func exercisePages() async throws {
        let exercises = try Self.exercises.get()
        try await TestApp.test(configure: Self.practice) { client, _ in
            for exercise in exercises {
                // MUT
                let (page, _) = try await Self.open(client, exercise.number)
                // validate
                #expect(page.status == .ok, "exercise \(exercise.number)")
                let html = page.text
                #expect(html.contains("\(exercise.number). \(exercise.title.htmlEscaped)</h1>"))
                #expect(html.contains(#"<textarea id="query" name="query""#))
                #expect(html.contains(#"name="_csrf""#))
                #expect(html.components(separatedBy: #"<details class="sql-hint">"#).count - 1 == exercise.hints.count)
                #expect(!html.contains("Why it works"), "the explanation waits until the exercise is solved")
                if let query = exercise.planQuery ?? exercise.check {
                    #expect(
                        html.contains(query.trimmingCharacters(in: .whitespacesAndNewlines).htmlEscaped),
                        "exercise \(exercise.number) shows the query it checks")
                }
            }
            let missing = try await client.execute(uri: "/sql/999", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("There is no SQL exercise &#39;999&#39;: they are numbered 1 to \(exercises.count)"))
        }
    }

    @Test(
        "a wrong answer shows a diff and is kept; a right one shows the explanation and marks the exercise solved", arguments: DatabaseKind.allCases)
    func gradingAndProgress(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind, configure: Self.practice) { client, database in
            // setup
            let (_, jar) = try await Self.open(client, 1)
            // MUT: a wrong answer, the right columns in another order, then the right answer
            let wrong = try await Self.run(client, 1, "SELECT name, city, country FROM warehouses WHERE country <> 'NL'", jar: jar)
            let swapped = try await Self.run(client, 1, "select country, city, name from warehouses", jar: jar)
            let solved = try await Self.run(client, 1, "SELECT name, city, country FROM warehouses", jar: jar)
            // validate
            #expect(wrong.status == .ok)
            #expect(wrong.text.contains("Not yet"))
            #expect(wrong.text.contains("Your query returns 4 rows; the expected result has 5. 1 expected row is missing."))
            #expect(wrong.text.contains("Expected rows missing from yours (1)"))
            #expect(wrong.text.contains("<td>Rotterdam Port</td>"))
            #expect(swapped.text.contains("Not yet"), "columns in another order are not the expected result")
            #expect(swapped.text.contains("Your columns are in a different order"))
            #expect(solved.text.contains("Correct!"))
            #expect(solved.text.contains("Why it works"))
            let stored = try await Self.storedAttempts(database)
            #expect(stored.count == 1)
            #expect(stored.first?.solved == 1 && stored.first?.attempts == 3)
            let list = try await client.execute(uri: "/sql", method: .get, headers: [.cookie: jar.header])
            #expect(list.text.contains(#"<a href="/sql/1">Every warehouse</a> <span class="badge sql-solved">Solved</span>"#))
            #expect(list.text.contains("You have solved 1 of"))
            let again = try await client.execute(uri: "/sql/1", method: .get, headers: [.cookie: jar.header])
            #expect(again.text.contains(">SELECT name, city, country FROM warehouses</textarea>"), "the last query is back in the editor")
            #expect(again.text.contains("Why it works"), "the explanation stays once solved")
        }
    }

    @Test("an SQL error is shown as the database reports it, with its position")
    func sqlError() async throws {
        try await TestApp.test(configure: Self.practice) { client, _ in
            // setup
            let (_, jar) = try await Self.open(client, 2)
            // MUT
            let response = try await Self.run(client, 2, "SELECT sku,\nFROM products", jar: jar)
            // validate
            #expect(response.status == .ok)
            #expect(response.text.contains("Your SQL did not run"))
            #expect(response.text.contains("near &quot;FROM&quot;: syntax error (line 2, column 1)"))
            #expect(response.text.contains("FROM products\n^"))
        }
    }

    @Test("hostile SQL through the form ends in a clear error and leaves the dataset file unchanged")
    func hostileInput() async throws {
        try await TestApp.test(configure: Self.practice) { client, _ in
            // setup
            let (_, jar) = try await Self.open(client, 1)
            _ = try await client.execute(uri: "/sql", method: .get)
            let file = URL(fileURLWithPath: Self.dataDirectory).appendingPathComponent(
                "sql-practice/shop-v1-seed-\(PracticeDataset.defaultSeed).sqlite")
            let before = try Data(contentsOf: file)
            let cases = [
                ("SELECT * FROM warehouses; DROP TABLE warehouses", "holds more than one statement"),
                ("ATTACH DATABASE '/tmp/loot.sqlite' AS loot", "ATTACH and DETACH are not allowed"),
                ("PRAGMA writable_schema = 1", "PRAGMA writable_schema is not allowed"),
                ("DELETE FROM warehouses", "the practice database is read-only"),
                ("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r", "was stopped"),
            ]
            for (sql, message) in cases {
                // MUT
                let response = try await Self.run(client, 1, sql, jar: jar)
                // validate
                #expect(response.status == .ok)
                #expect(response.text.contains("Your SQL did not run"), "\(sql)")
                #expect(response.text.contains(message), "\(sql)")
            }
            // invalid UTF-8 and a NUL byte, percent-encoded as a browser would send them
            let raw = try await client.execute(
                uri: "/sql/1", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: ByteBuffer(string: "_csrf=\(jar["gw_csrf"] ?? "")&query=SELECT+%FF%FE+FROM+warehouses%00"))
            #expect(raw.text.contains("Your SQL did not run"))
            #expect(try Data(contentsOf: file) == before)
            let stillThere = try await Self.run(client, 1, "SELECT name, city, country FROM warehouses", jar: jar)
            #expect(stillThere.text.contains("Correct!"))
        }
    }

    @Test("a post without the form's CSRF token is refused and nothing runs")
    func csrf() async throws {
        try await TestApp.test(configure: Self.practice) { client, database in
            // MUT
            let response = try await client.execute(
                uri: "/sql/1", method: .post, headers: formHeaders,
                body: formBody([("query", "SELECT name, city, country FROM warehouses")]))
            // validate
            #expect(response.status == .forbidden)
            #expect(try await Self.storedAttempts(database).isEmpty)
        }
    }

    @Test("team mode: a visitor may practise but is told nothing is saved; a learner's attempts are kept")
    func teamMode() async throws {
        try await TestApp.test(.team, configure: Self.practice) { client, database in
            // setup
            let (_, visitor) = try await Self.open(client, 1)
            // MUT
            let visit = try await Self.run(client, 1, "SELECT name, city, country FROM warehouses", jar: visitor)
            // validate
            #expect(visit.text.contains("Correct!"))
            #expect(visit.text.contains("Sign in</a> to keep your progress"))
            #expect(try await Self.storedAttempts(database).isEmpty)
            let (_, learner) = try await TeamModeTests.signUp(client)
            let (_, jar) = try await Self.open(client, 1, jar: learner)
            _ = try await Self.run(client, 1, "SELECT name FROM warehouses", jar: jar)
            #expect(try await Self.storedAttempts(database).map(\.attempts) == [1])
        }
    }

    @Test("topic pages link the exercises that practise them: all of them for a few, the next unsolved for many")
    func topicPages() async throws {
        let exercises = try Self.exercises.get()
        try await TestApp.test(configure: Self.practice) { client, _ in
            // MUT
            let indexes = try await client.execute(uri: "/topics/indexes", method: .get)
            let sql = try await client.execute(uri: "/topics/sql", method: .get)
            let http = try await client.execute(uri: "/topics/http", method: .get)
            // validate
            for exercise in exercises where exercise.topics.contains("indexes") {
                #expect(indexes.text.contains(#"<a href="/sql/\#(exercise.number)">"#))
            }
            #expect(sql.text.contains("0 of \(exercises.filter { $0.topics.contains("sql") }.count) solved. Next up:"))
            #expect(sql.text.contains(#"<a href="/sql/1">1. Every warehouse</a>"#))
            #expect(!http.text.contains(#"id="sql-title""#))
        }
    }
}

extension String {
    /// As Mustache escapes text.
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
