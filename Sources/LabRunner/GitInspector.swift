import Foundation
import LabKit

/// The git lab's checks: each reads the repository through a ``GitReader`` and says what it ran
/// and saw, so a failure can be reproduced with the same `git` command.
struct GitInspector: Sendable {
    let git: GitReader

    /// How many lines of a command's output a transcript shows.
    static let shownLines = 12
    /// How many merges of the main line the conflict check looks at, newest first.
    static let mergesExamined = 50

    /// A failed git command: the check cannot judge, and says why.
    struct Unreadable: Error {
        let message: String
    }

    func check(_ inspection: Inspection, bindings: Bindings) async -> InspectionFinding {
        var finding = InspectionFinding()
        do throws(Unreadable) {
            switch inspection.kind {
            case .commitMessages:
                try await commitMessages(
                    branch: inspection.text("branch", bindings, fallback: "main"), minimum: inspection.number("min_commits", fallback: 3),
                    maxSubject: inspection.number("max_subject", fallback: 72), into: &finding)
            case .gitignore:
                try await gitignore(ignored: inspection.list("ignored", bindings), into: &finding)
            case .mergedBranch:
                try await mergedBranch(inspection.text("branch", bindings), into: inspection.text("into", bindings, fallback: "main"), &finding)
            case .deletedBranch:
                try await deletedBranch(inspection.text("branch", bindings), &finding)
            case .rebasedBranch:
                try await rebasedBranch(
                    inspection.text("branch", bindings), onto: inspection.text("onto", bindings, fallback: "main"),
                    minimum: inspection.number("min_commits", fallback: 2), &finding)
            case .annotatedTag:
                try await annotatedTag(inspection.text("tag", bindings), on: inspection.text("on", bindings, fallback: "main"), &finding)
            case .resolvedConflict:
                try await resolvedConflict(on: inspection.text("on", bindings, fallback: "main"), &finding)
            case .noConflictMarkers:
                try await noConflictMarkers(&finding)
            case .noSecretsInHistory:
                try await noSecretsInHistory(&finding)
            default:
                finding.failures.append("\(inspection.kind.rawValue) does not inspect a git repository")
            }
        } catch {
            finding.failures.append(error.message)
        }
        return finding
    }

    // MARK: reading

    /// Runs git, records the command and the first lines of its output, and returns the output;
    /// statuses other than `accepting` end the check with git's own message.
    @discardableResult
    private func read(_ arguments: [String], _ finding: inout InspectionFinding, accepting: Set<Int32> = [0], show: Bool = true)
        async throws(Unreadable)
        -> BoundedCommand.Output
    {
        let output: BoundedCommand.Output
        do {
            output = try await git.run(arguments)
        } catch {
            throw Unreadable(message: "git could not be run: \(error.reason)")
        }
        if show {
            finding.transcript.append("$ " + git.shown(arguments))
            let lines = output.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(output.text.hasSuffix("\n") ? 1 : 0)
            finding.transcript += lines.prefix(Self.shownLines).map { "  " + $0 }
            if lines.count > Self.shownLines { finding.transcript.append("  … (\(lines.count - Self.shownLines) more lines)") }
        }
        if output.timedOut { throw Unreadable(message: "git took longer than \(git.timeout) and was stopped: \(git.shown(arguments))") }
        if output.truncated {
            throw Unreadable(message: "git printed more than \(git.outputLimit / 1_048_576) MiB, more than this check reads: \(git.shown(arguments))")
        }
        guard case .exited(let code) = output.status, accepting.contains(code) else {
            let said = output.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw Unreadable(message: "\(git.shown(arguments)) failed: \(said.isEmpty ? "\(output.status.map(\.description) ?? "stopped")" : said)")
        }
        return output
    }

    /// The commit a branch points at; `nil` when there is no such branch.
    private func tip(of branch: String, _ finding: inout InspectionFinding) async throws(Unreadable) -> String? {
        let output = try await read(["rev-parse", "--verify", "--quiet", "refs/heads/\(branch)^{commit}"], &finding, accepting: [0, 1], show: false)
        let hash = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return output.succeeded && !hash.isEmpty ? hash : nil
    }

    /// The main line, or a failure that lists the branches there are.
    private func requireBranch(_ branch: String, _ finding: inout InspectionFinding) async throws(Unreadable) -> String {
        if let hash = try await tip(of: branch, &finding) { return hash }
        let branches = try await read(["for-each-ref", "--format=%(refname:short)", "refs/heads"], &finding, show: false).text
            .split(separator: "\n").joined(separator: ", ")
        throw Unreadable(message: "there is no branch '\(branch)' (branches: \(branches.isEmpty ? "none yet" : branches))")
    }

    private func isAncestor(_ commit: String, of other: String, _ finding: inout InspectionFinding) async throws(Unreadable) -> Bool {
        try await read(["merge-base", "--is-ancestor", commit, other], &finding, accepting: [0, 1], show: false).succeeded
    }

    // MARK: the checks

    private func commitMessages(branch: String, minimum: Int, maxSubject: Int, into finding: inout InspectionFinding) async throws(Unreadable) {
        _ = try await requireBranch(branch, &finding)
        let arguments = ["log", "--no-merges", "--format=%h%x1f%B%x1e", branch]
        finding.reproduce = git.shown(["log", "--no-merges", "--format=%h %s", branch])
        let output = try await read(arguments, &finding, show: false)
        finding.transcript.append("$ " + finding.reproduce!)
        let commits = output.text.split(separator: "\u{1E}").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.isEmpty }
        var problems: [String] = []
        for record in commits {
            let parts = record.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let hash = parts[0]
            let message = parts.count > 1 ? parts[1] : ""
            let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let subject = lines.first ?? ""
            if finding.transcript.count <= Self.shownLines { finding.transcript.append("  \(hash) \(subject)") }
            if let problem = CommitMessageRule.problem(subject: subject, secondLine: lines.count > 1 ? lines[1] : nil, maxSubject: maxSubject) {
                problems.append("\(hash) '\(subject.prefix(80))': \(problem)")
            }
        }
        if commits.count < minimum {
            finding.failures.append("\(branch) has \(commits.count) commit(s) besides merges; the task asks for at least \(minimum)")
        }
        finding.failures += problems.prefix(10)
        if problems.count > 10 { finding.failures.append("… and \(problems.count - 10) more commit(s) like these") }
        if finding.failures.isEmpty { finding.notes.append("\(commits.count) commits, every message well-formed") }
    }

    private func gitignore(ignored: [String], into finding: inout InspectionFinding) async throws(Unreadable) {
        let committed = try await read(["ls-tree", "--name-only", "HEAD", "--", ".gitignore"], &finding, accepting: [0, 128])
        guard committed.text.trimmingCharacters(in: .whitespacesAndNewlines) == ".gitignore" else {
            finding.failures.append("no .gitignore is committed at the top of the repository")
            finding.reproduce = git.shown(["ls-tree", "--name-only", "HEAD"])
            return
        }
        let changed = try await read(
            ["diff", "--quiet", "--no-ext-diff", "--no-textconv", "HEAD", "--", ".gitignore"], &finding, accepting: [0, 1], show: false)
        if !changed.succeeded {
            finding.failures.append(".gitignore has changes that are not committed: commit it, so the rules you check are the ones everyone gets")
        }
        let checked = try await read(["check-ignore", "--no-index", "--verbose", "--non-matching", "--"] + ignored, &finding, accepting: [0, 1])
        finding.reproduce = git.shown(["check-ignore", "--no-index", "--verbose", "--non-matching", "--"] + ignored)
        for line in checked.text.split(separator: "\n") {
            let fields = line.split(separator: "\t", maxSplits: 1).map(String.init)
            guard fields.count == 2 else { continue }
            let source = fields[0]
            let path = fields[1]
            if source.hasPrefix("::") {
                finding.failures.append("'\(path)' is not ignored: add a rule for it to .gitignore")
            } else if source.hasPrefix(".git/info/exclude") {
                finding.failures.append(
                    "'\(path)' is ignored only by .git/info/exclude, which is not shared with the repository: put the rule in .gitignore")
            } else if source.contains(":!") || source.hasSuffix(":!") {
                finding.failures.append("'\(path)' is let back in by the rule \(source)")
            }
        }
        let tracked = try await read(["ls-files", "--cached", "--ignored", "--exclude-standard"], &finding)
        let files = tracked.text.split(separator: "\n").map(String.init)
        if !files.isEmpty {
            finding.failures.append(
                "tracked although .gitignore ignores them: \(files.prefix(8).joined(separator: ", "))\(files.count > 8 ? ", …" : "") — "
                    + "a rule does not untrack a file already committed; remove it from the index with git rm --cached FILE and commit")
        }
    }

    private func mergedBranch(_ branch: String, into main: String, _ finding: inout InspectionFinding) async throws(Unreadable) {
        _ = try await requireBranch(main, &finding)
        let arguments = ["log", "--merges", "--first-parent", "--format=%h %p%x1f%s", main]
        finding.reproduce = git.shown(["log", "--merges", "--first-parent", "--format=%h %s", main])
        let merges = try await read(arguments, &finding).text.split(separator: "\n").map(String.init)
        let mentioning = merges.filter { line in
            let subject = line.split(separator: "\u{1F}", maxSplits: 1).last.map(String.init) ?? ""
            return subject.contains("'\(branch)'") || subject.hasSuffix(" \(branch)") || subject.contains("/\(branch)")
                || subject.contains(" \(branch) ")
        }
        if let merge = mentioning.first {
            finding.notes.append("merged by \(merge.split(separator: " ").first ?? "") — \(merge.split(separator: "\u{1F}").last ?? "")")
            return
        }
        if let branchTip = try await tip(of: branch, &finding), try await isAncestor(branchTip, of: main, &finding) {
            finding.failures.append(
                "\(branch) is in \(main), but no merge commit brought it in: it was fast-forwarded, so history no longer shows the "
                    + "feature as one unit; merge with git merge --no-ff \(branch)")
            return
        }
        finding.failures.append(
            "no merge commit on \(main) names \(branch) (git's own message says \"Merge branch '\(branch)'\"): merge it with "
                + "git merge --no-ff \(branch) and keep that message")
    }

    private func deletedBranch(_ branch: String, _ finding: inout InspectionFinding) async throws(Unreadable) {
        finding.reproduce = git.shown(["branch", "--list", branch])
        finding.transcript.append("$ " + finding.reproduce!)
        if let hash = try await tip(of: branch, &finding) {
            finding.transcript.append("  \(branch) → \(hash.prefix(7))")
            finding.failures.append("\(branch) still exists: once it is merged, delete it with git branch -d \(branch)")
        }
    }

    private func rebasedBranch(_ branch: String, onto main: String, minimum: Int, _ finding: inout InspectionFinding) async throws(Unreadable) {
        let mainTip = try await requireBranch(main, &finding)
        guard let branchTip = try await tip(of: branch, &finding) else {
            finding.failures.append("there is no branch '\(branch)': create it, commit on it, and keep it after rebasing")
            return
        }
        finding.reproduce = git.shown(["log", "--graph", "--oneline", "\(main)...\(branch)"])
        try await read(["log", "--graph", "--oneline", "\(main)...\(branch)"], &finding)
        if !(try await isAncestor(mainTip, of: branchTip, &finding)) {
            finding.failures.append(
                "\(branch) does not contain \(main)'s newest commit \(mainTip.prefix(7)): it starts from an older point; "
                    + "rebase it with git switch \(branch) && git rebase \(main)")
        }
        let own = try await read(["rev-list", "\(main)..\(branch)"], &finding, show: false).text.split(separator: "\n")
        if own.count < minimum {
            finding.failures.append("\(branch) has \(own.count) commit(s) of its own on top of \(main); the task asks for at least \(minimum)")
        }
        let merges = try await read(["rev-list", "--merges", "\(main)..\(branch)"], &finding, show: false).text.split(separator: "\n")
        if !merges.isEmpty {
            finding.failures.append(
                "\(branch) holds \(merges.count) merge commit(s) (\(merges.map { String($0.prefix(7)) }.joined(separator: ", "))): "
                    + "merging \(main) into it is not rebasing; rebase instead, so its history is a straight line")
        }
    }

    private func annotatedTag(_ tag: String, on main: String, _ finding: inout InspectionFinding) async throws(Unreadable) {
        finding.reproduce = git.shown(["cat-file", "-p", "refs/tags/\(tag)"])
        let type = try await read(["cat-file", "-t", "refs/tags/\(tag)"], &finding, accepting: [0, 128]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard !type.isEmpty, type != "" else {
            let tags = try await read(["tag", "--list"], &finding, show: false).text.split(separator: "\n").joined(separator: ", ")
            finding.failures.append("there is no tag '\(tag)' (tags: \(tags.isEmpty ? "none" : tags)): create it with git tag -a \(tag) -m MESSAGE")
            return
        }
        guard type == "tag" else {
            finding.failures.append(
                "\(tag) is a lightweight tag (it names a \(type) directly): a release tag should be annotated, with who tagged it, "
                    + "when and why; replace it with git tag -f -a \(tag) -m MESSAGE \(tag)")
            return
        }
        let details = try await read(["for-each-ref", "--format=%(taggername)%1f%(contents:subject)", "refs/tags/\(tag)"], &finding)
        let fields = details.text.trimmingCharacters(in: .newlines).split(separator: "\u{1F}", omittingEmptySubsequences: false)
        if fields.count < 2 || fields[1].trimmingCharacters(in: .whitespaces).isEmpty {
            finding.failures.append("\(tag) has no message: say what the release holds (git tag -a \(tag) -m \"…\")")
        }
        let commit = try await read(["rev-parse", "refs/tags/\(tag)^{commit}"], &finding, show: false).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await requireBranch(main, &finding)
        if !(try await isAncestor(commit, of: main, &finding)) {
            finding.failures.append("\(tag) points at \(commit.prefix(7)), which is not on \(main): tag a commit of the main line")
        }
    }

    private func resolvedConflict(on main: String, _ finding: inout InspectionFinding) async throws(Unreadable) {
        _ = try await requireBranch(main, &finding)
        let arguments = ["rev-list", "--merges", "--parents", "--max-count=\(Self.mergesExamined)", main]
        finding.reproduce = git.shown(["log", "--merges", "--oneline", main])
        let merges = try await read(arguments, &finding, show: false).text.split(separator: "\n")
        finding.transcript.append("$ " + git.shown(arguments))
        for merge in merges {
            let hashes = merge.split(separator: " ").map(String.init)
            guard hashes.count == 3 else { continue }
            let base = try await read(["merge-base", hashes[1], hashes[2]], &finding, accepting: [0, 1], show: false).text
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !base.isEmpty else { continue }
            let ours = try await changedLines(from: base, to: hashes[1], &finding)
            let theirs = try await changedLines(from: base, to: hashes[2], &finding)
            if let overlap = DiffHunks.firstOverlap(ours, theirs) {
                finding.transcript.append("  merge \(hashes[0].prefix(7)): both parents changed \(overlap.file) near line \(overlap.line)")
                finding.notes.append("merge \(hashes[0].prefix(7)) resolved a conflict in \(overlap.file)")
                return
            }
            finding.transcript.append("  merge \(hashes[0].prefix(7)): its parents changed different lines")
        }
        finding.failures.append(
            merges.isEmpty
                ? "\(main) has no merge commit at all"
                : "none of the \(merges.count) merge(s) on \(main) joined two sides that changed the same lines: change the same line on two "
                    + "branches, merge, resolve the conflict by hand and commit")
    }

    private func changedLines(from base: String, to commit: String, _ finding: inout InspectionFinding) async throws(Unreadable) -> [String:
        [ClosedRange<Int>]]
    {
        let diff = try await read(
            ["diff", "--no-color", "--no-ext-diff", "--no-textconv", "--no-renames", "--unified=0", base, commit], &finding, show: false)
        return DiffHunks.changedRanges(in: diff.text)
    }

    private func noConflictMarkers(_ finding: inout InspectionFinding) async throws(Unreadable) {
        let arguments = ["grep", "-n", "-I", "-E", "-e", "^(<<<<<<<|>>>>>>>)( |$)", "HEAD", "--"]
        finding.reproduce = git.shown(arguments)
        let output = try await read(arguments, &finding, accepting: [0, 1])
        let hits = output.text.split(separator: "\n")
        if !hits.isEmpty {
            finding.failures.append(
                "conflict markers are still committed: \(hits.prefix(5).map { String($0.dropFirst(5)) }.joined(separator: "; ")) — "
                    + "edit the file to the text you want, remove the markers and commit")
        }
    }

    private func noSecretsInHistory(_ finding: inout InspectionFinding) async throws(Unreadable) {
        let arguments = ["log", "--all", "-p", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0", "--format=commit %h"]
        let output = try await read(arguments, &finding, show: false)
        finding.transcript.append("$ " + git.shown(arguments))
        var commit = ""
        var file = ""
        var found: [String] = []
        var patterns: [String] = []
        for line in output.text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("commit ") {
                commit = String(line.dropFirst(7))
            } else if line.hasPrefix("+++ ") {
                file = line.hasPrefix("+++ b/") ? String(line.dropFirst(6)) : String(line.dropFirst(4))
                if SecretFiles.isSecretFile(file) {
                    found.append("commit \(commit) added \(file), a file that holds secrets")
                    patterns.append(NSRegularExpression.escapedPattern(for: (file as NSString).lastPathComponent))
                }
            } else if line.hasPrefix("+"), !line.hasPrefix("+++"), let kind = SecretPatterns.match(in: String(line.dropFirst())) {
                found.append("commit \(commit) added \(kind) to \(file): \(SecretPatterns.masked(String(line.dropFirst())))")
            }
            if found.count >= 20 { break }
        }
        if !found.isEmpty {
            finding.transcript += found.prefix(Self.shownLines).map { "  " + $0 }
            finding.failures.append(
                "\(found.count) secret(s) in the history\(found.count >= 20 ? " (the first 20)" : ""): \(found.prefix(5).joined(separator: "; "))")
            finding.failures.append(
                "deleting the file in a later commit keeps it in history: rewrite the history (git filter-repo, or an interactive rebase "
                    + "that edits that commit), and change the secret, since it was exposed")
            finding.reproduce = git.shown(["log", "--all", "--oneline", "--name-status", "-p", "--", file.isEmpty ? "." : file])
        }
    }
}

/// The commit-message habits the git lab asks for.
enum CommitMessageRule {
    static let placeholders: Set<String> = [
        "wip", "fix", "fixes", "fixed", "update", "updates", "updated", "changes", "change", "stuff", "misc", "test", "tests", "commit",
        "asdf", "temp", "tmp", "minor", "more", "work", "save", "done", "final", "foo", "bar",
    ]

    /// What is wrong with a message whose first lines are these; `nil` when nothing is.
    static func problem(subject: String, secondLine: String?, maxSubject: Int) -> String? {
        let trimmed = subject.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "the subject line is empty" }
        if trimmed.count > maxSubject {
            return "the subject line has \(trimmed.count) characters; keep it to \(maxSubject) and put details in the body"
        }
        if trimmed.hasSuffix(".") && !trimmed.hasSuffix("...") { return "the subject line ends with a period; a subject is a title" }
        let words = trimmed.split(whereSeparator: { $0.isWhitespace || $0 == ":" })
        if words.count < 2 || placeholders.contains(trimmed.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
            return "'\(trimmed)' does not say what changed; write e.g. 'Add the signup form' or 'Fix the date in the footer'"
        }
        if let secondLine, !secondLine.trimmingCharacters(in: .whitespaces).isEmpty {
            return "the second line is not blank: git and its tools take everything up to the first blank line as the subject"
        }
        return nil
    }
}

/// Files that hold secrets and belong in no repository.
enum SecretFiles {
    static func isSecretFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent.lowercased()
        if name == ".env" || (name.hasPrefix(".env.") && !["example", "sample", "template", "dist"].contains(where: name.hasSuffix)) { return true }
        if ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", ".npmrc.secret", "credentials.json"].contains(name) { return true }
        return [".pem", ".key", ".p12", ".pfx", ".jks"].contains(where: name.hasSuffix)
    }
}

/// Reading `git diff --unified=0` into the lines each file's change touched, as line ranges of
/// the older side: two diffs from the same base whose ranges meet in a file are what makes git
/// stop a merge with a conflict.
enum DiffHunks {
    static func changedRanges(in diff: String) -> [String: [ClosedRange<Int>]] {
        var ranges: [String: [ClosedRange<Int>]] = [:]
        var file: String?
        for line in diff.split(separator: "\n") {
            if line.hasPrefix("--- ") {
                file = line.hasPrefix("--- a/") ? String(line.dropFirst(6)) : nil
            } else if line.hasPrefix("+++ "), file == nil {
                file = line.hasPrefix("+++ b/") ? String(line.dropFirst(6)) : nil
            } else if line.hasPrefix("@@"), let file, let match = line.firstMatch(of: /^@@ -(\d+)(?:,(\d+))? \+/) {
                let start = Int(match.1) ?? 0
                let count = match.2.flatMap { Int($0) } ?? 1
                // A pure insertion (count 0) sits after line `start`; it meets changes to that line and the next.
                let range = count == 0 ? start...(start + 1) : start...(start + count - 1)
                ranges[file, default: []].append(range)
            }
        }
        return ranges
    }

    static func firstOverlap(_ ours: [String: [ClosedRange<Int>]], _ theirs: [String: [ClosedRange<Int>]]) -> (file: String, line: Int)? {
        for (file, mine) in ours.sorted(by: { $0.key < $1.key }) {
            guard let other = theirs[file] else { continue }
            for range in mine {
                if let hit = other.first(where: { $0.overlaps(range) }) { return (file, max(range.lowerBound, hit.lowerBound)) }
            }
        }
        return nil
    }
}
