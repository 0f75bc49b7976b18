import Foundation
import Testing

/// `groundwork sql` as a learner meets it: the real binary, its output and its exit codes
/// (0 correct, 1 wrong, 2 error).
@Suite("groundwork sql", .serialized)
struct SQLCommandTests {
    static let data = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-sql-\(UUID().uuidString)").path

    static func sql(_ arguments: [String], stdin: String? = nil) async throws -> (code: Int32, out: String, err: String) {
        try await GroundworkProcess.run(["sql"] + arguments + ["--data", data], stdin: stdin)
    }

    @Test("list numbers the exercises by difficulty; show gives the task, how it is checked, and the hints on request")
    func listAndShow() async throws {
        // MUT
        let list = try await Self.sql(["list"])
        let show = try await Self.sql(["show", "52", "--hints"])
        // validate
        #expect(list.code == 0)
        #expect(list.out.hasPrefix("Beginner\n  1  Every warehouse"))
        #expect(list.out.contains("\nIntermediate\n") && list.out.contains("\nAdvanced\n"))
        #expect(show.code == 0)
        #expect(show.out.hasPrefix("Exercise 52: Move stock in one transaction  [intermediate · Changing data]"))
        #expect(show.out.contains("Every change must happen inside one transaction"))
        #expect(show.out.contains("    SELECT warehouse_id, quantity FROM stock WHERE product_id = 13"))
        #expect(show.out.contains("Hint 1: `BEGIN;`"))
    }

    @Test("try exits 0 for a correct answer, 1 for a wrong one with a diff, 2 for an error with its position")
    func tryExitCodes() async throws {
        // MUT
        let correct = try await Self.sql(["try", "1", "SELECT name, city, country FROM warehouses"])
        let wrong = try await Self.sql(["try", "1", "SELECT name, city, country FROM warehouses WHERE city <> 'Lyon'"])
        let error = try await Self.sql(["try", "1", "SELECT name,\nFROM warehouses"])
        let hostile = try await Self.sql(["try", "1", "SELECT 1; DROP TABLE warehouses"])
        let fromStdin = try await Self.sql(["try", "1", "-"], stdin: "SELECT name, city, country\nFROM warehouses;\n")
        // validate
        #expect(correct.code == 0)
        #expect(correct.out.hasPrefix("✓ Correct: exercise 1 solved."))
        #expect(wrong.code == 1)
        #expect(wrong.out.hasPrefix("✗ Not yet. Your query returns 4 rows; the expected result has 5. 1 expected row is missing."))
        #expect(
            wrong.out.contains(
                "Expected rows missing from yours (1):\n  name     | city | country\n  ---------+------+--------\n  Lyon Hub | Lyon | FR"))
        #expect(error.code == 2)
        #expect(error.out.hasPrefix("Error: near \"FROM\": syntax error (line 2, column 1)\n  FROM warehouses\n  ^"))
        #expect(hostile.code == 2)
        #expect(hostile.out.contains("holds more than one statement"))
        #expect(fromStdin.code == 0)
    }

    @Test("try stops a single C-level call that would run for seconds, with exit 2 and what happened")
    func tryIsBounded() async throws {
        // setup
        let clock = ContinuousClock()
        let start = clock.now
        // MUT
        let bomb = try await Self.sql(["try", "1", "SELECT length(printf('%.*c', 2147483647, 'x'))"])
        // validate
        #expect(bomb.code == 2)
        #expect(bomb.out.contains("was stopped"), "\(bomb.out)")
        #expect(start.duration(to: clock.now) < .seconds(8), "the 2-second limit held (the call alone runs 12 s)")
    }

    @Test("an exercise number that does not exist is one clear line")
    func unknownExercise() async throws {
        // MUT
        let result = try await Self.sql(["try", "999", "SELECT 1"])
        // validate
        #expect(result.code != 0 && result.code != 1)
        #expect(result.err.contains("there is no exercise 999: they are numbered 1 to"))
        #expect(result.err.split(separator: "\n").count == 1)
    }
}
