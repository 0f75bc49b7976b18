import Crypto
import Foundation
import LabKit
import Testing

@testable import LabRunner
@testable import ReferenceBackend

/// The git-workflow lab is an honest judge: the reference repository passes every stage, each
/// mutant fails at its own stage with the git command that shows why, and no check changes the
/// repository — not even one whose configuration tries to run a program.
@Suite("The git-workflow lab against reference repositories")
struct GitWorkflowLabTests {
    static let seed: UInt64 = 20_261_203

    /// Builds the reference (or a mutant) for the lab's names at `seed`, then checks it.
    static func check(_ mutant: GitWorkflowMutant?, seed: UInt64 = seed) async throws -> LabVerdict {
        let lab = try TestLab.shipped("git-workflow")
        let folder = try temporaryFolder("git-\(mutant?.rawValue ?? "reference")")
        defer { try? FileManager.default.removeItem(at: folder) }
        try GitWorkflowReference(names: names(lab, seed: seed), mutant: mutant).build(at: folder)
        return await LabRunner(options: RunOptions(target: folder, seed: seed, workspace: folder)).run(lab)
    }

    static func names(_ lab: Lab, seed: UInt64) -> GitWorkflowReference.Names {
        let values = lab.bindings(seed: seed)
        return GitWorkflowReference.Names(
            featureBranch: values.fill("feature/${feature_word}-${feature_number}"), rebaseBranch: values.fill("rebase/${rebase_word}"),
            tag: values.fill("v1.${release_minor}.0"))
    }

    static func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Seeds the reference and the mutants are checked with: each seed names other branches and tags.
    static let seeds: [UInt64] = [seed, 1, 42, 7_777, 123_456_789, 9_000_000_001]

    @Test("the reference repository passes every stage, whatever the seed", arguments: seeds)
    func referencePasses(seed: UInt64) async throws {
        // MUT
        let verdict = try await Self.check(nil, seed: seed)
        // validate
        #expect(verdict.stages.flatMap(\.steps).filter { $0.outcome != .passed }.map { "\($0.name): \($0.failures)" } == [])
        #expect(verdict.stages.map(\.outcome) == Array(repeating: .passed, count: 7))
    }

    @Test(
        "every mutant fails at its own stage, with what git showed and a git command to see it, whatever the seed",
        arguments: GitWorkflowMutant.allCases, seeds.prefix(3))
    func mutantFails(mutant: GitWorkflowMutant, seed: UInt64) async throws {
        // MUT
        let verdict = try await Self.check(mutant, seed: seed)
        // validate
        let failed = try #require(verdict.firstFailedStage, "\(mutant.rawValue) passed every stage")
        #expect(failed.id == mutant.stage, "\(mutant.rawValue) failed at \(failed.id): \(failed.steps.flatMap(\.failures))")
        #expect(verdict.stages.prefix(failed.number - 1).allSatisfy { $0.outcome == .passed })
        let step = try #require(failed.steps.first { $0.outcome == .failed })
        #expect(step.reproduce?.hasPrefix("git -C ") == true)
        #expect(step.transcript?.isEmpty == false)
        #expect(!step.failures.isEmpty)
    }

    @Test("the names come from the seed: the reference built for one seed fails another seed's feature-branch stage")
    func namesFollowTheSeed() async throws {
        // setup
        let lab = try TestLab.shipped("git-workflow")
        let folder = try Self.temporaryFolder("git-seed")
        defer { try? FileManager.default.removeItem(at: folder) }
        try GitWorkflowReference(names: Self.names(lab, seed: Self.seed), mutant: nil).build(at: folder)
        let other = (1...50).map { Self.seed + $0 }.first {
            Self.names(lab, seed: $0).featureBranch != Self.names(lab, seed: Self.seed).featureBranch
        }!
        // MUT
        let verdict = await LabRunner(options: RunOptions(target: folder, seed: other, workspace: folder)).run(lab)
        // validate
        #expect(verdict.firstFailedStage?.id == "feature-branch")
    }

    @Test("checking never changes the repository, and its configuration cannot make git run a program")
    func readOnlyAndHarmless() async throws {
        // setup
        let lab = try TestLab.shipped("git-workflow")
        let folder = try Self.temporaryFolder("git-hostile")
        let marker = folder.deletingLastPathComponent().appendingPathComponent("groundwork-ran-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: marker)
        }
        try GitWorkflowReference(names: Self.names(lab, seed: Self.seed), mutant: nil).build(at: folder)
        let config = folder.appendingPathComponent(".git/config")
        let hostile = """
            [core]
            \tfsmonitor = touch \(marker.path)
            \tpager = touch \(marker.path)
            [diff]
            \texternal = touch \(marker.path)
            [alias]
            \tlog = !touch \(marker.path)

            """
        try Data((try String(contentsOf: config, encoding: .utf8) + hostile).utf8).write(to: config)
        try Data("untracked change\n".utf8).write(to: folder.appendingPathComponent("README.md"))
        let before = try Self.fingerprint(folder)
        // MUT
        let verdict = await LabRunner(options: RunOptions(target: folder, seed: Self.seed, workspace: folder)).run(lab)
        // validate
        #expect(verdict.stages.flatMap(\.steps).flatMap(\.failures) == [])
        #expect(verdict.passed)
        #expect(try Self.fingerprint(folder) == before)
        #expect(!FileManager.default.fileExists(atPath: marker.path))
    }

    @Test("a folder that is not a repository, and a subfolder of one, are refused with what to give instead")
    func unusableFolders() async throws {
        // setup
        let plain = try Self.temporaryFolder("git-plain")
        defer { try? FileManager.default.removeItem(at: plain) }
        let lab = try TestLab.shipped("git-workflow")
        let repository = try Self.temporaryFolder("git-sub")
        defer { try? FileManager.default.removeItem(at: repository) }
        try GitWorkflowReference(names: Self.names(lab, seed: Self.seed), mutant: nil).build(at: repository)
        // MUT
        let notRepository = await #expect(throws: GitReader.Unusable.self) { try await GitReader.open(plain.path) }
        let inside = await #expect(throws: GitReader.Unusable.self) { try await GitReader.open(repository.appendingPathComponent("src").path) }
        // validate
        #expect(notRepository?.description.contains("is not a git repository") == true)
        #expect(inside?.description.contains("give its top folder, --repo") == true)
    }

    @Test("commit subjects: placeholders, a period, a long subject and a missing blank line fail; ordinary subjects pass")
    func commitMessageRule() {
        // MUT + validate
        #expect(CommitMessageRule.problem(subject: "Add the signup form", secondLine: nil, maxSubject: 72) == nil)
        #expect(CommitMessageRule.problem(subject: "Fix: keep the date in UTC", secondLine: "", maxSubject: 72) == nil)
        #expect(CommitMessageRule.problem(subject: "wip", secondLine: nil, maxSubject: 72)?.contains("does not say what changed") == true)
        #expect(CommitMessageRule.problem(subject: "Add the form.", secondLine: nil, maxSubject: 72)?.contains("period") == true)
        #expect(
            CommitMessageRule.problem(subject: String(repeating: "word ", count: 20), secondLine: nil, maxSubject: 72)?.contains("characters") == true
        )
        #expect(CommitMessageRule.problem(subject: "Add the form", secondLine: "and more", maxSubject: 72)?.contains("second line") == true)
    }

    @Test("diff hunks meet when both sides change the same or adjacent lines, not distant ones")
    func hunkOverlap() {
        // setup
        let ours = DiffHunks.changedRanges(in: "--- a/README.md\n+++ b/README.md\n@@ -2 +2 @@\n-a\n+b\n")
        let theirs = DiffHunks.changedRanges(in: "--- a/README.md\n+++ b/README.md\n@@ -2,0 +3 @@\n+c\n")
        let distant = DiffHunks.changedRanges(in: "--- a/README.md\n+++ b/README.md\n@@ -9 +9 @@\n-a\n+b\n")
        // MUT + validate
        #expect(DiffHunks.firstOverlap(ours, theirs)?.file == "README.md")
        #expect(DiffHunks.firstOverlap(ours, distant) == nil)
    }

    @Test("secret patterns find keys and tokens but not placeholders or environment lookups")
    func secretPatterns() {
        // MUT + validate
        #expect(SecretPatterns.match(in: "-----BEGIN OPENSSH PRIVATE KEY-----") == "a private key")
        #expect(SecretPatterns.match(in: "key = 'AKIAZ7Q3KXW2MPL4RT6Y'") == "an AWS access key id")
        #expect(SecretPatterns.match(in: #"DB_PASSWORD = "s3cr3t-h0rse-battery""#) != nil)
        #expect(SecretPatterns.match(in: #"password = os.environ["DB_PASSWORD"]"#) == nil)
        #expect(SecretPatterns.match(in: #"password: "${DB_PASSWORD}""#) == nil)
        #expect(SecretPatterns.match(in: #"api_key = "your-api-key-here""#) == nil)
    }

    /// Every file under the folder (`.git` included) with its contents, as one digest.
    static func fingerprint(_ folder: URL) throws -> String {
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])!
            .compactMap { $0 as? URL }.filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.path < $1.path }
        var hash = SHA256()
        for file in files {
            hash.update(data: Data(file.path.utf8))
            hash.update(data: try Data(contentsOf: file))
            let modified = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
            hash.update(data: Data(String(modified?.timeIntervalSince1970 ?? 0).utf8))
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
