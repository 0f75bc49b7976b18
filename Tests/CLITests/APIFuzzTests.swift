import Foundation
import Testing

/// schemathesis (PyPI) generates requests from the served OpenAPI document — valid ones, invalid
/// ones, wrong methods, stateful sequences — against the real binary. Every answer must be a
/// non-5xx response that the document allows.
@Suite("API fuzzing", .serialized)
struct APIFuzzTests {
    @Test("schemathesis finds no 5xx and no response the OpenAPI document does not allow")
    func schemathesis() async throws {
        // setup
        let data = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: data) }
        let port = try GroundworkProcess.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", data])
        try await server.waitUntilServing(base + "/health")
        defer { server.process.terminate() }

        // MUT: a bounded, seeded run. Rejecting a schema-valid body is allowed: the document
        // cannot say that a lab run's stages must be that lab's.
        let fuzz = Process()
        fuzz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fuzz.arguments = ["st", "run", base + "/api/v1/openapi.yaml", "--url", base, "--max-examples", "25", "--seed", "1",
                          "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--no-color"]
        let output = Pipe()
        fuzz.standardOutput = output
        fuzz.standardError = output
        try fuzz.run()
        let deadline = ContinuousClock.now + .seconds(300)
        while fuzz.isRunning && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(200)) }
        if fuzz.isRunning { fuzz.terminate() }
        let report = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)

        // validate
        #expect(fuzz.terminationStatus == 0, "schemathesis (install with: pip install schemathesis) reported:\n\(report.suffix(4000))")
        #expect(report.contains("passed"))
    }
}
