import Foundation
import Testing

/// The lab commands a learner types, end to end with the real binaries: listing and showing labs,
/// checking the lab files, and `check` with `--format junit`, `--stage` and `--continue`.
@Suite("groundwork labs and check options", .serialized, .timeLimit(.minutes(5)))
struct LabCommandTests {
    @Test("labs list names every lab; labs show prints a lab's brief; an unknown lab is one clear line")
    func listAndShow() async throws {
        let list = try await LabCLI.run(["labs", "list"])
        let show = try await LabCLI.run(["labs", "show", "http-basics"])
        let unknown = try await LabCLI.run(["labs", "show", "no-such-lab"])
        let files = try FileManager.default.contentsOfDirectory(atPath: LabCLI.repositoryRoot.appendingPathComponent("Content/labs").path)
        let ids = files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(list.code == 0)
        #expect(ids.count >= 13)
        for id in ids { #expect(list.out.contains(id), "\(id)") }
        #expect(show.code == 0)
        #expect(show.out.contains("HTTP basics (http-basics)"))
        #expect(show.out.contains("Stage 1"))
        #expect(unknown.code != 0)
        #expect(unknown.err.contains("there is no lab 'no-such-lab'"))
    }

    @Test("labs check validates every lab file")
    func labsCheck() async throws {
        let check = try await LabCLI.run(["labs", "check"])
        #expect(check.code == 0, "\(check.err)")
    }

    @Test("--format junit: a passing run is a testsuite without failures, a mutant's run names the failing step")
    func junit() async throws {
        let port = try LabCLI.freePort()
        let pass = try await LabCLI.run([
            "check", "http-basics", "--run", LabCLI.referenceCommand(lab: "http-basics", port: port),
            "--port", String(port), "--format", "junit", "--seed", "3",
        ])
        let fail = try await LabCLI.run([
            "check", "http-basics", "--run",
            LabCLI.referenceCommand(lab: "http-basics", port: port, mutant: "no-allow-header"),
            "--port", String(port), "--format", "junit", "--seed", "3",
        ])
        #expect(pass.code == 0, "\(pass.err)")
        #expect(pass.out.hasPrefix("<?xml"))
        #expect(pass.out.contains("<testsuite"))
        #expect(!pass.out.contains("<failure"))
        #expect(fail.code == 1)
        #expect(fail.out.contains("<failure"))
        #expect(fail.out.contains("Allow"))
    }

    @Test("--stage N checks stages 1 to N only; --continue goes on past a failed stage")
    func stageAndContinue() async throws {
        let port = try LabCLI.freePort()
        let upToTwo = try await LabCLI.run([
            "check", "http-basics", "--run", LabCLI.referenceCommand(lab: "http-basics", port: port),
            "--port", String(port), "--stage", "2", "--format", "json", "--seed", "3",
        ])
        let stopped = try await LabCLI.run([
            "check", "http-basics", "--run",
            LabCLI.referenceCommand(lab: "http-basics", port: port, mutant: "wrong-method-404"),
            "--port", String(port), "--format", "json", "--seed", "3",
        ])
        let continued = try await LabCLI.run([
            "check", "http-basics", "--run",
            LabCLI.referenceCommand(lab: "http-basics", port: port, mutant: "wrong-method-404"),
            "--port", String(port), "--format", "json", "--seed", "3", "--continue",
        ])
        func stages(_ json: String) throws -> [[String: Any]] {
            let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            return report?["stages"] as? [[String: Any]] ?? []
        }
        #expect(upToTwo.code == 0, "\(upToTwo.err)")
        #expect(try stages(upToTwo.out).count == 2)
        // stage 3 (errors) fails: without --continue nothing after it runs; with it, stages 4–6 pass
        let outcomes = { (json: String) in try stages(json).map { $0["outcome"] as? String ?? "" } }
        #expect(stopped.code == 1)
        #expect(try outcomes(stopped.out).prefix(3) == ["passed", "passed", "failed"])
        #expect(try !outcomes(stopped.out).dropFirst(3).contains("passed"))
        #expect(continued.code == 1)
        #expect(try outcomes(continued.out) == ["passed", "passed", "failed", "passed", "passed", "passed"])
    }
}
