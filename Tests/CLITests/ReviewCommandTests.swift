import Foundation
import Testing

/// `groundwork review` as a learner meets it: the real binary and its output.
@Suite("groundwork review", .serialized)
struct ReviewCommandTests {
    @Test("with nothing missed yet, review says nothing is due and where questions come from, and exits 0")
    func nothingDue() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-review-\(UUID().uuidString)").path
        // MUT
        let result = try await GroundworkProcess.run(["review", "--data", data], stdin: "")
        // validate
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.hasPrefix("Nothing is due for review. Questions you miss in a quiz come back here after a day."))
    }

    @Test("an account that does not exist is refused with its email and exit code 64")
    func unknownAccount() async throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-review-\(UUID().uuidString)").path
        // MUT
        let result = try await GroundworkProcess.run(["review", "--email", "nobody@example.org", "--data", data], stdin: "")
        // validate
        #expect(result.code == 64)
        #expect(result.err.contains("There is no account with the email nobody@example.org."))
    }
}
