import Foundation

/// The git-workflow lab's mutants: repositories each wrong in one way a learner plausibly gets
/// wrong, each caught at its own stage.
enum GitWorkflowMutant: String, MutantCase {
    case vagueMessages = "vague-messages"
    case buildOutputTracked = "build-output-tracked"
    case fastForwardMerge = "fast-forward-merge"
    case branchNotDeleted = "branch-not-deleted"
    case lightweightTag = "lightweight-tag"
    case noConflict = "no-conflict"
    case markersCommitted = "markers-committed"
    case mergedMainIntoBranch = "merged-main-into-branch"
    case staleBranch = "stale-branch"
    case secretInOldCommit = "secret-in-old-commit"

    var stage: String {
        switch self {
        case .vagueMessages: "commits"
        case .buildOutputTracked: "ignore"
        case .fastForwardMerge, .branchNotDeleted: "feature-branch"
        case .lightweightTag: "release-tag"
        case .noConflict, .markersCommitted: "conflict"
        case .mergedMainIntoBranch, .staleBranch: "rebase"
        case .secretInOldCommit: "secrets"
        }
    }

    var bug: String {
        switch self {
        case .vagueMessages: "a commit says only 'fix.'"
        case .buildOutputTracked: "build/app.o was committed before .gitignore, and is still tracked"
        case .fastForwardMerge: "the feature branch was fast-forwarded into main: no merge commit"
        case .branchNotDeleted: "the feature branch was merged but never deleted"
        case .lightweightTag: "the release tag is lightweight (git tag without -a)"
        case .noConflict: "the merge joined branches that changed different lines: no conflict was resolved"
        case .markersCommitted: "the conflict was 'resolved' by committing the file with its markers"
        case .mergedMainIntoBranch: "main was merged into the branch instead of rebasing it"
        case .staleBranch: "the branch was never rebased after main moved on"
        case .secretInOldCommit: "an AWS key was committed, then deleted in a later commit: it is still in history"
        }
    }
}

/// Builds the git-workflow lab's reference repository — every task done right — or one of its
/// mutants, in a folder of the caller's, with fixed authors and dates so it is the same every time.
struct GitWorkflowReference {
    /// The names the lab's seed asks for.
    struct Names {
        let featureBranch: String
        let rebaseBranch: String
        let tag: String
    }

    let names: Names
    let mutant: GitWorkflowMutant?

    /// A git command failed while building the fixture.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func build(at folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var clock = 0
        func git(_ arguments: String..., allowFailure: Bool = false) throws {
            clock += 60
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", folder.path] + arguments
            var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
            let date = "\(1_767_225_600 + clock) +0000"
            environment.merge(
                [
                    "GIT_AUTHOR_NAME": "Ada Learner", "GIT_AUTHOR_EMAIL": "ada@example.org", "GIT_COMMITTER_NAME": "Ada Learner",
                    "GIT_COMMITTER_EMAIL": "ada@example.org", "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
                    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_EDITOR": "true",
                ], uniquingKeysWith: { $1 })
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let said = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus != 0, !allowFailure {
                throw Failure(description: "git \(arguments.joined(separator: " ")) failed: \(String(decoding: said, as: UTF8.self))")
            }
        }
        func write(_ path: String, _ text: String) throws {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        func commit(_ message: String, _ paths: String...) throws {
            for path in paths { try git("add", "--", path) }
            try git("commit", "-q", "-m", message)
        }
        let readme = (1...6).map { "Line \($0) of the README" }

        try git("init", "-q", "-b", "main")
        try write("README.md", readme.joined(separator: "\n") + "\n")
        try commit("Add the README", "README.md")
        if mutant == .secretInOldCommit {
            try write("config/storage.py", "AWS_ACCESS_KEY_ID = \"AKIAZ7Q3KXW2MPL4RT6Y\"\n")
            try commit("Add the storage settings", "config/storage.py")
            try write("config/storage.py", "import os\nAWS_ACCESS_KEY_ID = os.environ[\"AWS_ACCESS_KEY_ID\"]\n")
            try commit("Read the storage key from the environment", "config/storage.py")
        }
        if mutant == .buildOutputTracked {
            try write("build/app.o", "object code\n")
            try commit("Add the first build of the app", "build/app.o")
        }
        try write(".gitignore", "build/\ndist/\n.env\n*.pem\n")
        try commit("Ignore build output and secret files", ".gitignore")
        try write("src/app.txt", "The app\n")
        try commit(mutant == .vagueMessages ? "fix." : "Add the first page of the app", "src/app.txt")

        try git("checkout", "-q", "-b", names.featureBranch)
        try write("src/contact.txt", "A contact form\n")
        try commit("Add the contact form", "src/contact.txt")
        try git("checkout", "-q", "main")
        if mutant == .fastForwardMerge {
            try git("merge", "-q", "--ff-only", names.featureBranch)
        } else {
            try git("merge", "-q", "--no-ff", "--no-edit", names.featureBranch)
        }
        if mutant != .branchNotDeleted { try git("branch", "-q", "-d", names.featureBranch) }

        if mutant == .lightweightTag {
            try git("tag", names.tag)
        } else {
            try git("tag", "-a", names.tag, "-m", "Release with the contact form")
        }

        let conflictLine = mutant == .noConflict ? 4 : 1
        try git("checkout", "-q", "-b", "colour")
        var theirs = readme
        theirs[conflictLine] = "The header is blue"
        try write("README.md", theirs.joined(separator: "\n") + "\n")
        try commit("Make the header blue", "README.md")
        try git("checkout", "-q", "main")
        var ours = readme
        ours[1] = "The header is green"
        try write("README.md", ours.joined(separator: "\n") + "\n")
        try commit("Make the header green", "README.md")
        try git("merge", "-q", "--no-edit", "colour", allowFailure: true)
        if mutant != .noConflict {
            if mutant != .markersCommitted {
                var resolved = readme
                resolved[1] = "The header is teal, between green and blue"
                try write("README.md", resolved.joined(separator: "\n") + "\n")
            }
            try git("add", "README.md")
            try git("commit", "-q", "--no-edit")
        }
        try git("branch", "-q", "-D", "colour")

        try git("checkout", "-q", "-b", names.rebaseBranch)
        try write("docs/setup.md", "How to set it up\n")
        try commit("Write the setup guide", "docs/setup.md")
        try write("docs/tests.md", "How to run the tests\n")
        try commit("Explain how to run the tests", "docs/tests.md")
        try git("checkout", "-q", "main")
        try write("src/footer.txt", "2026\n")
        try commit("Show the year in the footer", "src/footer.txt")
        try git("checkout", "-q", names.rebaseBranch)
        switch mutant {
        case .mergedMainIntoBranch: try git("merge", "-q", "--no-ff", "--no-edit", "main")
        case .staleBranch: break
        default: try git("rebase", "-q", "main")
        }
        try git("checkout", "-q", "main")
    }
}
