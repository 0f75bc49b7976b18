import Foundation
import SQLPractice
import Testing

/// The shipped exercises: enough of them, every kind and theme the roadmap asks for, and every
/// reference passes its own exercise (with a wrong answer shown as a diff).
@Suite("Shipped SQL exercises")
struct ExerciseTests {
    @Test("at least 50 exercises, easiest first, covering every theme the issue lists")
    func coverage() throws {
        // setup
        let practice = try PracticeFixture.practice.get()
        // MUT
        let exercises = practice.exercises
        // validate
        #expect(exercises.count >= 50)
        #expect(exercises.map(\.number) == Array(1...exercises.count))
        #expect(exercises.map(\.difficulty) == exercises.map(\.difficulty).sorted())
        let references = exercises.map { $0.reference.uppercased() }
        for construct in [
            "LEFT JOIN", "GROUP BY", "HAVING", "EXISTS", "WITH RECURSIVE", "ROW_NUMBER()", "RANK()", "OVER (", "ROWS BETWEEN",
            "UNION", "INTERSECT", "EXCEPT", "IS NULL", "COALESCE", "STRFTIME", "JULIANDAY", "INSERT", "UPDATE", "DELETE",
            "CREATE INDEX", "BEGIN", "COMMIT", "LIKE", "CASE",
        ] {
            #expect(references.contains { $0.contains(construct) }, "no exercise practises \(construct)")
        }
        #expect(exercises.contains { $0.kind == .change && $0.requiresTransaction }, "a transaction exercise")
        #expect(exercises.filter { $0.kind == .plan }.count >= 2, "index exercises")
        #expect(exercises.contains { $0.ordered } && exercises.contains { !$0.ordered })
    }

    @Test("every reference passes its own exercise; doing nothing never passes a change; no shipped index already serves a plan exercise")
    func audit() async throws {
        // setup
        let practice = try PracticeFixture.practice.get()
        // MUT
        let problems = try await ExerciseAudit.problems(in: practice)
        // validate
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }

    @Test("a wrong answer to every query exercise is wrong, with a diff")
    func wrongAnswers() async throws {
        // setup
        let practice = try PracticeFixture.practice.get()
        for exercise in practice.exercises where exercise.kind == .query {
            // MUT
            let result = try await practice.grade("SELECT 1 AS wrong", for: exercise)
            // validate
            #expect(result.verdict == .wrong, "exercise \(exercise.number)")
            #expect(result.diff?.summary.isEmpty == false, "exercise \(exercise.number)")
        }
    }

    @Test("the topics the exercises practise exist, and the SQL topic links to many of them")
    func topics() throws {
        // setup
        let practice = try PracticeFixture.practice.get()
        let topicFiles = try FileManager.default.subpathsOfDirectory(
            atPath: PracticeFixture.repositoryRoot.appendingPathComponent("Content/topics").path)
        let topicIDs = Set(
            topicFiles.filter { $0.hasSuffix(".md") }.map { ($0 as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "") })
        // MUT
        let named = Set(practice.exercises.flatMap(\.topics))
        // validate
        #expect(named.isSubset(of: topicIDs), "\(named.subtracting(topicIDs))")
        #expect(practice.exercises(practising: "sql").count >= 20)
        #expect(!practice.exercises(practising: "indexes").isEmpty)
        #expect(!practice.exercises(practising: "transactions-and-isolation").isEmpty)
    }
}
