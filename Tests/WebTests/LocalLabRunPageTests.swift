import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

/// A run of a lab that checks no server, uploaded from the CLI: its page shows what the failed
/// check ran and saw, and the command that shows the same on the learner's machine.
@Suite("Run pages of local labs")
struct LocalLabRunPageTests {
    @Test("an uploaded git-workflow run with a lightweight tag shows the git commands, their output and how to reproduce it")
    func uploadedGitRun() async throws {
        // setup
        let lab = try LabLoader(directory: LabPagesTests.labsDirectory).load(id: "git-workflow")
        let values = lab.bindings(seed: 5)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-web-git-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try GitWorkflowReference(
            names: .init(
                featureBranch: values.fill("feature/${feature_word}-${feature_number}"), rebaseBranch: values.fill("rebase/${rebase_word}"),
                tag: values.fill("v1.${release_minor}.0")),
            mutant: .lightweightTag
        ).build(at: folder)
        let verdict = await LabRunner(options: RunOptions(target: folder, seed: 5, workspace: folder)).run(lab)
        let tag = values.fill("v1.${release_minor}.0")
        try await LabPagesTests.app { client, _ in
            // MUT
            let upload = try await LabRunAPITests.upload(client, JSONReporter.report(verdict))
            let id = try #require(try upload.json()["id"] as? String)
            let page = try await client.execute(uri: "/labs/git-workflow/runs/\(id)", method: .get)
            // validate
            #expect(upload.status == .created)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h3>What the check saw</h3>"))
            #expect(page.text.contains("$ git -C \(folder.path) cat-file -t refs/tags/\(tag)"))
            #expect(page.text.contains("<h3>Reproduce it</h3>"))
            #expect(page.text.contains("git -C \(folder.path) cat-file -p refs/tags/\(tag)"))
            #expect(page.text.contains("is a lightweight tag"))
        }
    }
}
