import Foundation
import Testing

/// Every option of `groundwork serve` is a flag with an environment variable as fallback: the flag
/// wins when both are given.
@Suite("Configuration precedence", .serialized, .timeLimit(.minutes(2)))
struct ConfigurationPrecedenceTests {
    @Test("GROUNDWORK_PORT is used without --port, and --port wins over it")
    func flagBeatsEnvironment() async throws {
        let data = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let fromEnvironment = try GroundworkProcess.freePort()
        let fromFlag = try GroundworkProcess.freePort()

        let environmentOnly = try GroundworkProcess(["serve", "--data", data], environment: ["GROUNDWORK_PORT": String(fromEnvironment)])
        try await environmentOnly.waitUntilServing("http://127.0.0.1:\(fromEnvironment)/health")
        environmentOnly.process.terminate()
        _ = try await environmentOnly.waitForExit(timeout: .seconds(20))

        let both = try GroundworkProcess(
            ["serve", "--data", data, "--port", String(fromFlag)],
            environment: ["GROUNDWORK_PORT": String(fromEnvironment)])
        defer { both.process.terminate() }
        try await both.waitUntilServing("http://127.0.0.1:\(fromFlag)/health")
        #expect((try? await GroundworkProcess.get("http://127.0.0.1:\(fromEnvironment)/health")) == nil)
    }

    @Test("a bad value in an environment variable is one clear line naming the variable")
    func badEnvironmentValue() async throws {
        let result = try await GroundworkProcess.run(["serve"], environment: ["GROUNDWORK_MODE": "classroom"])
        #expect(result.code != 0)
        #expect(result.err.contains("GROUNDWORK_MODE"), "\(result.err)")
        #expect(result.err.split(separator: "\n").count <= 2, "\(result.err)")
    }
}
