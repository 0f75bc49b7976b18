import Foundation
import LabKit

/// Runs a lab's `check:` steps: git checks against the repository, Dockerfile rules against the
/// folder, and the shutdown check against the program `--run` started.
struct InspectionRunner: Sendable {
    let options: RunOptions
    let checks: RequestCheckRunner

    func run(_ inspection: Inspection, name: String, bindings: Bindings) async -> StepVerdict {
        let finding: InspectionFinding
        switch inspection.kind.subject {
        case .git:
            finding = await gitFinding(inspection, bindings: bindings)
        case .container where inspection.kind == .gracefulShutdown:
            let (found, exchange) = await GracefulShutdownCheck(checks: checks, terminate: options.terminate, target: options.target)
                .run(inspection, bindings: bindings)
            return verdict(name, inspection, bindings, found, exchange: exchange)
        case .container:
            finding = containerFinding(inspection, bindings: bindings)
        case .tests:
            finding = await TestSuiteCheck(suite: options.testSuite, replay: options.replay).run(inspection, bindings: bindings)
        case .http:
            finding = InspectionFinding(failures: ["\(inspection.kind.rawValue) is no HTTP check"])
        }
        return verdict(name, inspection, bindings, finding, exchange: nil)
    }

    private func verdict(_ name: String, _ inspection: Inspection, _ bindings: Bindings, _ finding: InspectionFinding, exchange: Exchange?)
        -> StepVerdict
    {
        let passed = finding.failures.isEmpty
        return StepVerdict(
            name: name, outcome: passed ? .passed : .failed, expected: [inspection.summary(bindings)], failures: finding.failures,
            notes: finding.notes, exchange: passed ? nil : exchange, transcript: passed ? nil : finding.transcript,
            reproduce: passed ? nil : finding.reproduce)
    }

    private func gitFinding(_ inspection: Inspection, bindings: Bindings) async -> InspectionFinding {
        guard let workspace = options.workspace else {
            return InspectionFinding(failures: ["no repository to check: run groundwork check with --repo PATH"])
        }
        do {
            let git = try await GitReader.open(workspace.path)
            return await GitInspector(git: git).check(inspection, bindings: bindings)
        } catch {
            return InspectionFinding(failures: [error.description])
        }
    }

    private func containerFinding(_ inspection: Inspection, bindings: Bindings) -> InspectionFinding {
        guard let folder = options.workspace else {
            return InspectionFinding(failures: ["no folder to check: run groundwork check with --dir PATH"])
        }
        if inspection.kind == .dockerignore {
            return DockerIgnoreCheck.run(
                folder: folder, always: inspection.list("always", bindings, fallback: [".git"]),
                whenPresent: inspection.list("when_present", bindings, fallback: []))
        }
        let file = folder.appendingPathComponent("Dockerfile")
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return InspectionFinding(
                failures: ["there is no Dockerfile in \(folder.path): write one (named exactly Dockerfile) at the top of the folder you build"])
        }
        guard data.count <= 1_048_576 else { return InspectionFinding(failures: ["the Dockerfile is larger than 1 MiB; that is no Dockerfile"]) }
        return DockerfileRules.check(inspection.kind, Dockerfile(String(decoding: data, as: UTF8.self)))
    }
}

/// The `.dockerignore` rule: `.git` (and whatever else the lab always asks) stays out of the build
/// context, and so does each build output or secret file the folder actually holds.
enum DockerIgnoreCheck {
    static func run(folder: URL, always: [String], whenPresent: [String]) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "cat \(folder.appendingPathComponent(".dockerignore").path)")
        let file = folder.appendingPathComponent(".dockerignore")
        guard let data = FileManager.default.contents(atPath: file.path), data.count <= 1_048_576 else {
            finding.failures.append(
                "there is no .dockerignore: everything in the folder, .git and secrets included, is sent to the builder and may end up in the image")
            return finding
        }
        let text = String(decoding: data, as: UTF8.self)
        finding.transcript = text.split(separator: "\n").prefix(20).enumerated().map { ".dockerignore:\($0.offset + 1): \($0.element)" }
        let ignore = DockerIgnore(text)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var required = always
        for pattern in whenPresent {
            let glob = GlobPattern(pattern)
            required += entries.filter { glob.matches($0) && !required.contains($0) }
        }
        for path in required where !ignore.keepsOut(path) {
            let present = entries.contains(path) ? " (it is in the folder)" : ""
            finding.failures.append("'\(path)'\(present) is not kept out of the build context: add a line '\(path)' to .dockerignore")
        }
        return finding
    }
}
