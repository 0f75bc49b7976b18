import Foundation
import Testing

/// What the CLI tells a learner about a lab that follows a public suite: which checks go beyond
/// it, and that a server the suite's browser-based grader accepts is accepted here too.
@Suite("Labs that follow a public suite", .serialized)
struct SuiteMarkTests {
    @Test("labs show says which suite the lab follows and marks the checks beyond it")
    func showMarksBeyond() async throws {
        // MUT
        let result = try await LabCLI.run(["labs", "show", "timestamp"])
        // validate
        #expect(result.code == 0, "\(result.err)")
        #expect(result.out.contains("Follows freeCodeCamp's tests: a server that passes them passes every check not marked [beyond freeCodeCamp]."))
        let lines = result.out.split(separator: "\n")
        #expect(lines.contains { $0.contains("GET /api/${day} →") && $0.hasSuffix("[beyond freeCodeCamp]") })
        #expect(lines.contains { $0.contains("GET /api/2016-12-25 →") && !$0.contains("[beyond") })
    }

    @Test("a server whose /api redirects to /api/ passes timestamp, as it passes freeCodeCamp's grader in a browser")
    func redirectFollowedLikeABrowser() async throws {
        // setup
        let port = try LabCLI.freePort()
        // MUT
        let result = try await LabCLI.run([
            "check", "timestamp", "--run", LabCLI.referenceCommand(lab: "timestamp", port: port, mutant: "slash-redirect"),
            "--port", String(port), "--seed", "4",
        ])
        // validate
        #expect(result.code == 0, "\(result.out)\n\(result.err)")
        #expect(result.out.contains("  ✓ GET /api answers the current time"))
        #expect(result.out.contains("PASSED timestamp: 6/6 stages"))
    }
}
