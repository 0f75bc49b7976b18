import Foundation
import Testing

/// `groundwork check` for the labs that check no server, as a learner meets them: the options
/// each lab needs, exit status 2 for a mistake in them, 1 for a failed or skipped stage, 0 for a
/// pass, and the report formats shared with every other lab.
@Suite("groundwork check for local labs", .serialized)
struct LocalLabCommandTests {
    /// A folder with a Dockerfile and .dockerignore that pass every static rule.
    static func containerFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-container-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dockerfile = """
            FROM python:3.12-slim AS build
            COPY requirements.txt .
            RUN pip install --prefix=/install -r requirements.txt
            COPY . .

            FROM python:3.12-slim
            COPY --from=build /install /usr/local
            USER 10001
            HEALTHCHECK CMD ["python", "-c", "print('ok')"]
            CMD ["python", "app.py"]

            """
        try Data(dockerfile.utf8).write(to: folder.appendingPathComponent("Dockerfile"))
        try Data(".git\n.env\n".utf8).write(to: folder.appendingPathComponent(".dockerignore"))
        return folder
    }

    @Test("mistakes in the options are refused with exit status 2 and what to give instead")
    func usageErrors() async throws {
        // setup
        let plain = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-cli-plain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: plain, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: plain) }
        // MUT
        let noRepo = try await LabCLI.run(["check", "git-workflow"])
        let notRepo = try await LabCLI.run(["check", "git-workflow", "--repo", plain.path])
        let targetForFolder = try await LabCLI.run(["check", "container", "--dir", plain.path, "--target", "http://127.0.0.1:1"])
        let noTests = try await LabCLI.run(["check", "api-testing"])
        let repoForServer = try await LabCLI.run(["check", "http-basics", "--repo", plain.path])
        // validate
        #expect(noRepo.code == 2 && noRepo.err.contains("lab git-workflow checks a git repository: give its folder with --repo PATH"))
        #expect(notRepo.code == 2 && notRepo.err.contains("is not a git repository"))
        #expect(targetForFolder.code == 2 && targetForFolder.err.contains("not --target or --repo"))
        #expect(noTests.code == 2 && noTests.err.contains("--tests \"COMMAND\""))
        #expect(repoForServer.code == 2 && repoForServer.err.contains("lab http-basics checks a server"))
    }

    @Test("a good folder without --run passes eight stages, skips the shutdown stage and exits 1; with --run it passes and exits 0")
    func containerExitCodes() async throws {
        // setup
        let folder = try Self.containerFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = try LabCLI.freePort()
        // MUT
        let staticOnly = try await LabCLI.run(["check", "container", "--dir", folder.path])
        let whole = try await LabCLI.run([
            "check", "container", "--dir", folder.path, "--run", LabCLI.referenceCommand(lab: "container", port: port), "--port", String(port),
            "--format", "junit",
        ])
        // validate
        #expect(staticOnly.code == 1, "\(staticOnly.out)\n\(staticOnly.err)")
        #expect(staticOnly.out.contains("SKIPPED this stage stops your server to watch it shut down"))
        #expect(staticOnly.out.contains("NOT PASSED container: 8 of 9 stages passed and none failed"))
        #expect(whole.code == 0, "\(whole.out)\n\(whole.err)")
        #expect(whole.out.contains("<testsuites name=\"groundwork container\" tests=\"10\" failures=\"0\""))
        #expect(!LabCLI.listens(on: port))
    }

    @Test("a failing rule prints the line at fault, why, and a command that shows it; exit status 1")
    func containerFailure() async throws {
        // setup
        let folder = try Self.containerFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let dockerfile = try String(contentsOf: folder.appendingPathComponent("Dockerfile"), encoding: .utf8)
        try Data(dockerfile.replacingOccurrences(of: "CMD [\"python\", \"app.py\"]", with: "CMD python app.py").utf8)
            .write(to: folder.appendingPathComponent("Dockerfile"))
        // MUT
        let result = try await LabCLI.run(["check", "container", "--dir", folder.path])
        // validate
        #expect(result.code == 1)
        #expect(result.out.contains("Dockerfile:10: CMD python app.py: shell form runs '/bin/sh -c …' as PID 1"))
        #expect(result.out.contains("reproduce: grep -niE '^[[:space:]]*(CMD|ENTRYPOINT)' Dockerfile"))
        #expect(result.out.contains("FAILED container at stage 5 'exec-form'"))
        #expect(result.out.contains("Check again after your changes: groundwork check container --dir \(folder.path)"))
    }

    @Test("labs show prints a git lab's names for a seed, the same every time, and the command to check it")
    func showsSeededNames() async throws {
        // MUT
        let first = try await LabCLI.run(["labs", "show", "git-workflow", "--seed", "4242"])
        let again = try await LabCLI.run(["labs", "show", "git-workflow", "--seed", "4242"])
        // validate
        #expect(first.code == 0)
        #expect(first.out == again.out)
        let branch = try #require(first.out.firstMatch(of: /\[branch: (feature\/[a-z]+-\d+)\]/)?.1)
        #expect(first.out.contains("Build: The branch \(branch) was merged into main"))
        #expect(first.out.contains("Check it: groundwork check git-workflow --repo PATH --seed 4242 [--stage N]"))
        #expect(!first.out.contains("${feature_word}"))
    }
}
