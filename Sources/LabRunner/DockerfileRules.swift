import Foundation
import LabKit

/// What an inspection found: the ways the learner's work misses the rule (none: it passed), notes
/// worth showing either way, what it looked at, and a command that shows the same thing.
public struct InspectionFinding: Sendable {
    public var failures: [String] = []
    public var notes: [String] = []
    public var transcript: [String] = []
    public var reproduce: String?

    public init(failures: [String] = [], notes: [String] = [], transcript: [String] = [], reproduce: String? = nil) {
        self.failures = failures
        self.notes = notes
        self.transcript = transcript
        self.reproduce = reproduce
    }
}

/// The container lab's static rules, each a pure function of a parsed ``Dockerfile`` (and of the
/// build context's file names for `.dockerignore`), each failure naming the line at fault and why
/// the rule matters.
public enum DockerfileRules {
    /// Files that list a project's dependencies: copied alone before the sources, their install
    /// layer stays cached while only code changes.
    public static let manifests: [String] = [
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "requirements.txt",
        "requirements-dev.txt", "Pipfile", "Pipfile.lock", "pyproject.toml", "poetry.lock", "uv.lock", "go.mod", "go.sum",
        "composer.json", "composer.lock", "Gemfile", "Gemfile.lock", "pom.xml", "build.gradle", "build.gradle.kts",
        "settings.gradle", "settings.gradle.kts", "packages.lock.json", "Package.swift", "Package.resolved", "Cargo.toml",
        "Cargo.lock", "mix.exs", "mix.lock",
    ]

    public static func check(_ kind: InspectionKind, _ dockerfile: Dockerfile) -> InspectionFinding {
        switch kind {
        case .dockerfile: parses(dockerfile)
        case .pinnedBase: pinnedBase(dockerfile)
        case .multiStage: multiStage(dockerfile)
        case .nonRootUser: nonRootUser(dockerfile)
        case .healthcheck: healthcheck(dockerfile)
        case .execForm: execForm(dockerfile)
        case .manifestsFirst: manifestsFirst(dockerfile)
        case .noSecretsInImage: noSecrets(dockerfile)
        default: InspectionFinding(failures: ["\(kind.rawValue) is no Dockerfile rule"])
        }
    }

    static func parses(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -nE '^[[:space:]]*[A-Za-z]+' Dockerfile")
        finding.failures += dockerfile.problems
        if let first = dockerfile.instructions.first(where: { $0.keyword != "ARG" }), first.keyword != "FROM" {
            finding.failures.append("\(first.shown): the first instruction (after ARG) must be FROM, which names the image to start from")
            finding.transcript.append(first.shown)
        }
        if dockerfile.stages.isEmpty { finding.failures.append("the Dockerfile has no FROM instruction") }
        finding.notes.append("\(dockerfile.instructions.count) instructions in \(dockerfile.stages.count) stage(s)")
        return finding
    }

    static func pinnedBase(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*FROM' Dockerfile")
        var earlier: Set<String> = []
        for stage in dockerfile.stages {
            defer { if let name = stage.name { earlier.insert(name) } }
            finding.transcript.append(stage.from.shown)
            let base = stage.base
            if earlier.contains(base.lowercased()) || base.lowercased() == "scratch" { continue }
            if base.contains("$") {
                finding.failures.append(
                    "\(stage.from.shown): the base image comes from a build argument without a default; give the ARG a pinned default")
                continue
            }
            if base.contains("@sha256:") { continue }
            let lastPart = base.split(separator: "/").last.map(String.init) ?? base
            guard let colon = lastPart.lastIndex(of: ":") else {
                finding.failures.append(
                    "\(stage.from.shown): '\(base)' has no tag, which means 'latest' — a different image whenever it is rebuilt; "
                        + "name a version, e.g. \(base):1.2 or a digest")
                continue
            }
            let tag = lastPart[lastPart.index(after: colon)...]
            if tag.lowercased() == "latest" {
                finding.failures.append("\(stage.from.shown): ':latest' moves with every release, so rebuilding may change what runs; name a version")
            }
        }
        return finding
    }

    static func multiStage(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*(FROM|COPY[[:space:]]+--from)' Dockerfile")
        let stages = dockerfile.stages
        finding.transcript = stages.map(\.from.shown)
        guard stages.count >= 2 else {
            finding.failures.append(
                "one stage only: the image that runs carries the compilers and build tools too; build in a first stage "
                    + "(FROM … AS build) and copy only the result into a small final one")
            return finding
        }
        let final = stages[stages.count - 1]
        let earlierNames = Set(stages.dropLast().compactMap(\.name))
        let copies = final.instructions.filter { ($0.keyword == "COPY" || $0.keyword == "ADD") && $0.flags["from"] != nil }
        finding.transcript += copies.map(\.shown)
        let fromEarlier = copies.contains { copy in
            let source = copy.flags["from"]!.lowercased()
            return earlierNames.contains(source) || Int(source).map { $0 < stages.count - 1 } == true
        }
        if !fromEarlier {
            finding.failures.append(
                "the final stage (\(final.from.shown)) copies nothing from an earlier stage: add COPY --from=<build stage> "
                    + "for what the build produced")
        }
        return finding
    }

    static func nonRootUser(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*(FROM|USER)' Dockerfile")
        let users = dockerfile.finalChain.reversed().flatMap { $0.instructions.filter { $0.keyword == "USER" } }
        finding.transcript = users.map(\.shown)
        guard let last = users.last else {
            finding.failures.append(
                "the final stage has no USER, so the server runs as root: a bug in it then acts as root inside the container; "
                    + "add e.g. USER node, or create a user and switch to it")
            return finding
        }
        let user = last.arguments.split(separator: ":").first.map(String.init) ?? ""
        if ["root", "0"].contains(user.lowercased()) {
            finding.failures.append("\(last.shown): the last USER is root; switch to an unprivileged user after the steps that need root")
        }
        return finding
    }

    static func healthcheck(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*HEALTHCHECK' Dockerfile")
        let checks = dockerfile.finalChain.reversed().flatMap { $0.instructions.filter { $0.keyword == "HEALTHCHECK" } }
        finding.transcript = checks.map(\.shown)
        guard let last = checks.last else {
            finding.failures.append(
                "the final stage has no HEALTHCHECK: Docker cannot tell a hung server from a healthy one; add e.g. "
                    + "HEALTHCHECK CMD [\"wget\", \"-qO-\", \"http://127.0.0.1:3000/health\"]")
            return finding
        }
        if last.arguments.uppercased() == "NONE" {
            finding.failures.append("\(last.shown): HEALTHCHECK NONE turns the check off; declare a command that asks the server")
        } else if !last.arguments.uppercased().hasPrefix("CMD") {
            finding.failures.append("\(last.shown): a HEALTHCHECK needs CMD followed by the command to run")
        }
        return finding
    }

    static func execForm(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*(CMD|ENTRYPOINT)' Dockerfile")
        let chain = dockerfile.finalChain.reversed().flatMap(\.instructions)
        let starts = ["ENTRYPOINT", "CMD"].compactMap { keyword in chain.last { $0.keyword == keyword } }
        finding.transcript = starts.map(\.shown)
        guard !starts.isEmpty else {
            finding.failures.append("the final stage has neither CMD nor ENTRYPOINT: say how the server starts, e.g. CMD [\"node\", \"server.js\"]")
            return finding
        }
        for start in starts where start.execForm == nil {
            finding.failures.append(
                "\(start.shown): shell form runs '/bin/sh -c …' as PID 1, and the shell does not pass SIGTERM on to your server, "
                    + "so `docker stop` waits and then kills it; write it as a JSON array, e.g. \(start.keyword) [\"node\", \"server.js\"]")
        }
        return finding
    }

    static func manifestsFirst(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*(FROM|COPY|ADD|RUN)' Dockerfile")
        for stage in dockerfile.stages {
            let copies = stage.instructions.enumerated().filter {
                ($0.element.keyword == "COPY" || $0.element.keyword == "ADD") && $0.element.flags["from"] == nil
            }
            guard let sources = copies.first(where: { !isManifestsOnly($0.element) }) else { continue }
            let before = stage.instructions.prefix(sources.offset)
            finding.transcript =
                ([stage.from.shown] + before.filter { ["COPY", "ADD", "RUN"].contains($0.keyword) }.map(\.shown) + [sources.element.shown])
            let manifestCopy = before.lastIndex { ($0.keyword == "COPY" || $0.keyword == "ADD") && isManifestsOnly($0) }
            guard let manifestCopy else {
                finding.failures.append(
                    "\(sources.element.shown) copies the sources before any dependency manifest: every code change then re-runs the "
                        + "dependency install; copy the manifest first (COPY package.json package-lock.json ./), install, then copy the rest")
                return finding
            }
            if !before[manifestCopy...].contains(where: { $0.keyword == "RUN" }) {
                finding.failures.append(
                    "\(sources.element.shown) comes before the dependencies are installed: put the install (RUN npm ci, pip install …) "
                        + "between copying the manifest and copying the sources")
            }
            return finding
        }
        finding.notes.append("no stage copies your sources as a whole")
        return finding
    }

    /// True when every source of a COPY is a dependency manifest (or a pattern that names one).
    static func isManifestsOnly(_ copy: Dockerfile.Instruction) -> Bool {
        let words = copy.execForm ?? copy.arguments.split(whereSeparator: \.isWhitespace).map(String.init)
        let sources = words.dropLast()
        guard !sources.isEmpty else { return false }
        return sources.allSatisfy { source in
            let name = source.split(separator: "/").last.map(String.init) ?? source
            if manifests.contains(name) || name.hasSuffix(".csproj") || name.hasSuffix(".sln") { return true }
            guard name.contains("*") || name.contains("?") else { return false }
            return manifests.contains { GlobPattern(name).matches($0) }
        }
    }

    static func noSecrets(_ dockerfile: Dockerfile) -> InspectionFinding {
        var finding = InspectionFinding(reproduce: "grep -niE '^[[:space:]]*(ENV|ARG)' Dockerfile")
        for instruction in dockerfile.instructions where instruction.keyword == "ENV" || instruction.keyword == "ARG" {
            finding.transcript.append(instruction.shown)
            for (name, value) in assignments(instruction) {
                let upper = name.uppercased()
                let pointsToFile = upper.hasSuffix("_FILE") || upper.hasSuffix("_PATH")
                let secretName = /(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/
                if name.firstMatch(of: secretName) != nil, !pointsToFile {
                    finding.failures.append(
                        "Dockerfile:\(instruction.line): \(instruction.keyword) \(name) — \(instruction.keyword == "ARG" ? "build arguments" : "environment values") "
                            + "are stored in the image (docker history / docker inspect show them); pass secrets at run time "
                            + "(docker run -e, or RUN --mount=type=secret while building)")
                } else if let value, let kind = SecretPatterns.match(in: value) {
                    finding.failures.append("Dockerfile:\(instruction.line): \(instruction.keyword) \(name) holds what looks like \(kind)")
                }
            }
        }
        return finding
    }

    /// `ENV A=1 B="x y"`, `ENV A 1` (the old form) and `ARG NAME[=default]` as name and value.
    static func assignments(_ instruction: Dockerfile.Instruction) -> [(String, String?)] {
        let text = instruction.arguments
        guard let first = text.split(separator: " ").first else { return [] }
        if instruction.keyword == "ENV", !first.contains("=") {
            let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
            return [(parts[0], parts.count > 1 ? parts[1] : nil)]
        }
        return text.matches(of: /([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|'[^']*'|\S*))?/).map { match in
            (String(match.1), match.2.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) })
        }
    }
}

/// A shell-style pattern as `.dockerignore` and the container lab use it: `*` and `?` stay within
/// one path segment, `**` spans any number of them, `[…]` is a character class.
struct GlobPattern {
    let regex: Regex<AnyRegexOutput>?

    init(_ pattern: String) {
        var text = "^"
        let characters = Array(pattern)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "*":
                if index + 1 < characters.count, characters[index + 1] == "*" {
                    index += 1
                    if index + 1 < characters.count, characters[index + 1] == "/" {
                        index += 1
                        text += "(.*/)?"
                    } else {
                        text += ".*"
                    }
                } else {
                    text += "[^/]*"
                }
            case "?": text += "[^/]"
            case "[":
                if let close = characters[(index + 1)...].firstIndex(of: "]") {
                    var inner = String(characters[(index + 1)..<close])
                    if inner.hasPrefix("!") { inner = "^" + inner.dropFirst() }
                    text += "[" + inner.replacingOccurrences(of: "\\", with: "\\\\") + "]"
                    index = close
                } else {
                    text += "\\["
                }
            case "\\":
                if index + 1 < characters.count {
                    index += 1
                    text += NSRegularExpression.escapedPattern(for: String(characters[index]))
                }
            default: text += NSRegularExpression.escapedPattern(for: String(character))
            }
            index += 1
        }
        regex = try? Regex(text + "$")
    }

    func matches(_ path: String) -> Bool {
        guard let regex else { return false }
        return path.wholeMatch(of: regex) != nil
    }
}
