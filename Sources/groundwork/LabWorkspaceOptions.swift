import ArgumentParser
import Foundation
import LabKit
import LabRunner

/// `--repo PATH` and `--dir PATH`: what a lab that checks no server reads — a git repository
/// (read with git, never changed) or a folder with a Dockerfile.
struct LabWorkspaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Labs that check a git repository: its top folder (read only, never changed).", valueName: "PATH"))
    var repo: String?

    @Option(help: ArgumentHelp("Labs that check a container setup: the folder with the Dockerfile and .dockerignore.", valueName: "PATH"))
    var dir: String?

    @Option(
        help: ArgumentHelp("Labs that check a test suite: the shell command that runs it (it reads BASE_URL and API_TOKEN).", valueName: "COMMAND"))
    var tests: String?

    @Option(help: ArgumentHelp("With --tests: the JUnit XML report your suite writes.", valueName: "FILE"))
    var junit: String?

    @Option(help: ArgumentHelp("With --tests: the coverage report your suite writes (JaCoCo XML, Cobertura XML or lcov).", valueName: "FILE"))
    var coverage: String?

    @Option(name: .customLong("tests-timeout"), help: ArgumentHelp("With --tests: how long one run of your suite may take.", valueName: "SECONDS"))
    var testsTimeout = 120

    /// The suite `--tests` names, with its reports; `nil` without `--tests`.
    var testSuite: TestSuiteCommand? {
        tests.map { command in
            TestSuiteCommand(
                command: command, timeout: .seconds(testsTimeout), junitReport: junit.map { URL(fileURLWithPath: $0).standardizedFileURL },
                coverageReport: coverage.map { URL(fileURLWithPath: $0).standardizedFileURL })
        }
    }

    /// The folder `lab` reads, checked; `nil` for a lab that probes a server. Refuses options that
    /// do not fit the lab.
    func workspace(for lab: Lab, target: String?) async throws -> URL? {
        switch lab.subject {
        case .tests:
            guard let tests, !tests.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError(
                    "lab \(lab.id) checks your test suite: give the command that runs it, --tests \"COMMAND\" (e.g. --tests \"pytest -q\")")
            }
            if repo != nil || dir != nil || target != nil {
                throw UsageError("lab \(lab.id) runs your test suite against its own server: give --tests \"COMMAND\", not --target, --repo or --dir")
            }
            guard (1...3600).contains(testsTimeout) else { throw UsageError("--tests-timeout \(testsTimeout) must be from 1 to 3600 seconds") }
            return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        case .http:
            if repo != nil || dir != nil || tests != nil {
                throw UsageError("lab \(lab.id) checks a server: give --target URL or --run \"COMMAND\" --port PORT, not --repo, --dir or --tests")
            }
            return nil
        case .git, .container:
            if tests != nil { throw UsageError("--tests goes with a lab that checks a test suite, such as api-testing") }
            return try await folder(for: lab, target: target)
        }
    }

    private func folder(for lab: Lab, target: String?) async throws -> URL? {
        switch lab.subject {
        case .http, .tests:
            return nil
        case .git:
            guard let repo else { throw UsageError("lab \(lab.id) checks a git repository: give its folder with --repo PATH") }
            if dir != nil || target != nil { throw UsageError("lab \(lab.id) checks a git repository: give --repo PATH only") }
            do {
                return URL(fileURLWithPath: try await GitReader.open(repo).repository)
            } catch {
                throw UsageError(error.description)
            }
        case .container:
            guard let dir else { throw UsageError("lab \(lab.id) checks a container setup: give the folder with its Dockerfile, --dir PATH") }
            if repo != nil || target != nil {
                throw UsageError(
                    "lab \(lab.id) checks a folder (--dir PATH), and with --run \"COMMAND\" --port PORT the program it runs; not --target or --repo")
            }
            var isDirectory: ObjCBool = false
            let url = URL(fileURLWithPath: dir).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw UsageError("--dir \(dir): there is no folder there")
            }
            return url
        }
    }

    /// The seed a git lab's names come from when no `--seed` is given: the repository's first
    /// commit, so each learner's repository has names of its own and they stay the same run after run.
    static func seed(ofRepository path: URL) async throws -> UInt64 {
        let git = try await GitReader.open(path.path)
        let roots = try await git.run(["rev-list", "--max-parents=0", "HEAD"])
        guard roots.succeeded, let first = roots.text.split(separator: "\n").map(String.init).sorted().first,
            let number = UInt64(first.prefix(12), radix: 16)
        else {
            throw UsageError("the repository has no commit yet: make your first commit, or give the seed you were handed with --seed S")
        }
        return number % 999_999_999 + 1
    }
}
