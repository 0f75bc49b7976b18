import Foundation
import Testing

/// schemathesis (PyPI) generates requests from the served OpenAPI document — valid ones, invalid
/// ones, wrong methods, stateful sequences — against the real binary. Every answer must be a
/// non-5xx response that the document allows.
@Suite("API fuzzing", .serialized)
struct APIFuzzTests {
    @Test("schemathesis finds no 5xx, no response the OpenAPI document does not allow, and no body it allows refused")
    func schemathesis() async throws {
        // setup
        let data = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await server.waitUntilServing(base + "/health")
        defer { server.process.terminate() }

        // MUT: a bounded, seeded run, every check on: a body the document allows must not be
        // refused (the served document names each lab's stages, so it can say which reports fit;
        // schemathesis.toml says why an import may still answer 422).
        let fuzz = Process()
        fuzz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fuzz.arguments = [
            "st", "--config-file", GroundworkProcess.repositoryRoot.path + "/Tests/CLITests/schemathesis.toml",
            "run", base + "/api/v1/openapi.yaml", "--url", base, "--max-examples", "25", "--seed", "1",
            "--checks", "all", "--no-color",
        ]
        // Its output goes to a file: a pipe nobody reads while it runs would fill and block it.
        let log = data + "/schemathesis.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        fuzz.standardOutput = output
        fuzz.standardError = output
        try fuzz.run()
        let deadline = ContinuousClock.now + .seconds(300)
        while fuzz.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        let timedOut = fuzz.isRunning
        if timedOut { fuzz.terminate() }
        fuzz.waitUntilExit()
        try output.close()
        let report = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""

        // validate
        #expect(!timedOut, "schemathesis did not finish within 300 seconds:\n\(report.suffix(4000))")
        #expect(fuzz.terminationStatus == 0, "schemathesis (install with: pip install schemathesis) reported:\n\(report.suffix(4000))")
        #expect(report.contains("passed"))
    }
}
