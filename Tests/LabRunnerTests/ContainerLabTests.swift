import Foundation
import LabKit
import Testing

@testable import LabRunner
@testable import ReferenceBackend

/// The container lab is an honest judge: its Dockerfile rules hold on a corpus of good and bad
/// Dockerfiles, the reference folder passes every static stage and each mutant folder fails at
/// its own, and the shutdown stage passes the reference server and fails the ones that die at
/// once or ignore SIGTERM — all without a Docker engine.
@Suite("The container lab against reference folders and servers", .serialized)
struct ContainerLabTests {
    static let corpus = TestLab.repositoryRoot.appendingPathComponent("Tests/LabRunnerTests/Fixtures/dockerfiles")
    static let rules: [InspectionKind] = [
        .dockerfile, .pinnedBase, .multiStage, .nonRootUser, .healthcheck, .execForm, .manifestsFirst, .noSecretsInImage,
    ]

    static var corpusFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { $0.hasSuffix(".Dockerfile") }.sorted()
    }

    @Test("the corpus has good and bad Dockerfiles")
    func corpusExists() {
        #expect(Self.corpusFiles.count >= 8)
    }

    @Test("each Dockerfile of the corpus fails exactly the rules its first lines name", arguments: corpusFiles)
    func corpusRules(file: String) throws {
        // setup
        let text = try String(contentsOf: Self.corpus.appendingPathComponent(file), encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("# expect:") })
        let expected = Set(line.dropFirst("# expect:".count).split(separator: " ").map(String.init).filter { $0 != "none" })
        // MUT
        let dockerfile = Dockerfile(text)
        let failing = Self.rules.filter { !DockerfileRules.check($0, dockerfile).failures.isEmpty }
        // validate
        #expect(
            Set(failing.map(\.rawValue)) == expected,
            "\(file): \(failing.map { "\($0.rawValue): \(DockerfileRules.check($0, dockerfile).failures)" })")
    }

    @Test("the parser joins continuations, skips comments inside them, keeps here-documents whole and reads exec form")
    func parser() throws {
        // setup
        let text =
            "# escape=`\r\nFROM alpine:3.20 AS base\r\nRUN echo one `\r\n  # a comment\r\n\r\n  two\r\nRUN <<EOF\r\nCOPY is not an instruction here\r\nEOF\r\ncmd [\"sh\", \"-c\", \"echo hi\"]\r\nENTRYPOINT not json [\r\nWHATEVER x\r\n"
        // MUT
        let dockerfile = Dockerfile(text)
        // validate
        #expect(dockerfile.instructions.map(\.keyword) == ["FROM", "RUN", "RUN", "CMD", "ENTRYPOINT"])
        #expect(dockerfile.instructions[1].arguments == "echo one two")
        #expect(dockerfile.instructions[2].arguments.contains("COPY is not an instruction here"))
        #expect(dockerfile.instructions[3].execForm == ["sh", "-c", "echo hi"])
        #expect(dockerfile.instructions[4].execForm == nil)
        #expect(dockerfile.problems == ["Dockerfile:12: 'WHATEVER x' is no Dockerfile instruction"])
        #expect(dockerfile.stages.first?.name == "base")
    }

    @Test(".dockerignore: folders, globs, ** and exceptions decide the way the builder does")
    func dockerignore() {
        // setup
        let ignore = DockerIgnore("# comment\n/.git/\nnode_modules\n**/*.pem\ndist/*\n!dist/keep.txt\n")
        // MUT + validate
        #expect(ignore.keepsOut(".git"))
        #expect(ignore.excludes(".git/HEAD"))
        #expect(ignore.keepsOut("node_modules"))
        #expect(ignore.excludes("config/deep/server.pem"))
        #expect(ignore.keepsOut("dist"))
        #expect(!ignore.excludes("dist/keep.txt"))
        #expect(!ignore.keepsOut("src"))
        #expect(!ignore.keepsOut(".env"))
    }

    /// Writes the folder of `mutant` and checks it (stages 1–8: no program is started).
    static func checkFolder(_ mutant: ContainerMutant?) async throws -> LabVerdict {
        let lab = try TestLab.shipped("container")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-container-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ContainerReference.write(mutant, to: folder)
        return await LabRunner(options: RunOptions(target: folder, seed: 1, workspace: folder)).run(lab)
    }

    @Test("a huge Dockerfile, a binary one and a missing one each fail stage 1 with what is wrong, without a crash")
    func hostileDockerfiles() async throws {
        // setup
        let lab = try TestLab.shipped("container")
        let cases: [(Data?, String)] = [
            (Data(repeating: 0x41, count: 2_000_000), "larger than 1 MiB"),
            (Data([0, 0xFF, 0x0A, 0x46, 0x52, 0x4F, 0x4D, 0x0A, 0xC3]), "is no Dockerfile instruction"),
            (nil, "there is no Dockerfile in"),
        ]
        for (content, expected) in cases {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-container-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            if let content { try content.write(to: folder.appendingPathComponent("Dockerfile")) }
            // MUT
            let verdict = await LabRunner(options: RunOptions(target: folder, seed: 1, throughStage: 1, workspace: folder)).run(lab)
            // validate
            #expect(verdict.firstFailedStage?.id == "dockerfile")
            #expect(
                verdict.stages.first?.steps.first?.failures.contains { $0.contains(expected) } == true,
                "\(verdict.stages.first?.steps.first?.failures ?? [])")
        }
    }

    @Test("the reference folder passes every static stage; without --run the shutdown stage is skipped and the lab not passed")
    func referenceFolder() async throws {
        // MUT
        let verdict = try await Self.checkFolder(nil)
        // validate
        #expect(verdict.stages.dropLast().allSatisfy { $0.outcome == .passed }, "\(verdict.stages.flatMap(\.steps).flatMap(\.failures))")
        #expect(verdict.stages.last?.outcome == .skipped)
        #expect(verdict.stages.last?.skipReason == LabRunner.shutdownNeedsRun)
        #expect(!verdict.passed)
    }

    static let folderMutants = ContainerMutant.allCases.filter { !$0.isServer && !$0.correct }
    static let folderVariants = ContainerMutant.allCases.filter { !$0.isServer && $0.correct }

    @Test("every mutant folder fails at its own stage, naming the line and a command that shows it", arguments: folderMutants)
    func mutantFolder(mutant: ContainerMutant) async throws {
        // MUT
        let verdict = try await Self.checkFolder(mutant)
        // validate
        let failed = try #require(verdict.firstFailedStage, "\(mutant.rawValue) passed")
        #expect(failed.id == mutant.stage, "\(mutant.rawValue) failed at \(failed.id): \(failed.steps.flatMap(\.failures))")
        #expect(verdict.stages.prefix(failed.number - 1).allSatisfy { $0.outcome == .passed })
        let step = try #require(failed.steps.first { $0.outcome == .failed })
        #expect(step.reproduce != nil)
        #expect(!step.failures.isEmpty)
    }

    @Test("every correct variant passes the static stages", arguments: folderVariants)
    func correctFolder(variant: ContainerMutant) async throws {
        // MUT
        let verdict = try await Self.checkFolder(variant)
        // validate
        #expect(verdict.stages.dropLast().allSatisfy { $0.outcome == .passed }, "\(verdict.stages.flatMap(\.steps).flatMap(\.failures))")
    }

    /// The whole lab with the shutdown stage: the reference folder, and the reference server (or a
    /// server mutant) started as `--run` starts a learner's program.
    static func checkWithServer(_ mutant: ContainerMutant?) async throws -> LabVerdict {
        let lab = try TestLab.shipped("container")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-container-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ContainerReference.write(nil, to: folder)
        let port = try TestLab.freePort()
        var words = [TestLab.binary("reference-backend").path, "--lab", "container", "--port", String(port)]
        if let mutant { words += ["--mutant", mutant.rawValue] }
        let program = LearnerProgram(command: "exec " + words.map { "'\($0)'" }.joined(separator: " "), port: port) { _ in }
        try await program.start()
        var options = RunOptions(target: URL(string: "http://127.0.0.1:\(port)")!, seed: 1, workspace: folder)
        options.terminate = { await program.terminate(within: $0) }
        let verdict = await LabRunner(options: options).run(lab)
        await program.stop()
        return verdict
    }

    @Test("the reference server finishes the request in flight on SIGTERM and exits: the whole lab passes")
    func gracefulServer() async throws {
        // MUT
        let verdict = try await Self.checkWithServer(nil)
        // validate
        #expect(verdict.passed, "\(verdict.stages.flatMap(\.steps).flatMap(\.failures))")
        #expect(verdict.stages.last?.steps.first?.notes.first?.contains("the request in flight was answered") == true)
    }

    @Test("a server that dies on SIGTERM drops the request in flight, and the failure carries the request to reproduce it")
    func serverExitsAtOnce() async throws {
        // MUT
        let verdict = try await Self.checkWithServer(.exitsAtOnce)
        // validate
        let failed = try #require(verdict.firstFailedStage)
        #expect(failed.id == "shutdown")
        let step = try #require(failed.steps.first)
        #expect(step.failures.contains { $0.contains("was not answered") })
        #expect(step.exchange?.curl.contains("/slow") == true)
    }

    @Test("a server that ignores SIGTERM is killed after 10 s, and the report says so")
    func serverIgnoresSIGTERM() async throws {
        // MUT
        let verdict = try await Self.checkWithServer(.ignoresSIGTERM)
        // validate
        let failed = try #require(verdict.firstFailedStage)
        #expect(failed.id == "shutdown")
        #expect(failed.steps.first?.failures.contains { $0.contains("had not exited 10 s after SIGTERM") } == true)
    }

    @Test("a command's output is capped and its time limited: a flood and a hang end in time, reported as such")
    func boundedCommand() async throws {
        // MUT
        let flood = try await BoundedCommand.run(["yes"], environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(10), outputLimit: 100_000)
        let clock = ContinuousClock()
        let start = clock.now
        let hang = try await BoundedCommand.run(
            ["sleep", "30"], environment: ["PATH": "/usr/bin:/bin"], timeout: .milliseconds(300), outputLimit: 1000)
        let missing = await #expect(throws: CommandFailure.self) {
            try await BoundedCommand.run(["no-such-program-here"], environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(1), outputLimit: 10)
        }
        // validate
        #expect(flood.truncated && flood.status == nil && flood.standardOutput.count == 100_000)
        #expect(hang.timedOut && hang.status == nil)
        #expect(start.duration(to: clock.now) < .seconds(5))
        #expect(missing?.reason.contains("no-such-program-here") == true)
    }
}
