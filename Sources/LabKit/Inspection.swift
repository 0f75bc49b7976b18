/// What a lab checks: a server over HTTP (most labs), a git repository, or a container setup (a
/// Dockerfile and what it runs). A lab's stages may only use the checks of its subject.
public enum LabSubject: String, Sendable, CaseIterable {
    /// The learner's server, probed over HTTP (`groundwork check LAB --target URL`).
    case http
    /// A local git repository, read with the `git` command and never changed
    /// (`groundwork check LAB --repo PATH`).
    case git
    /// A folder with a Dockerfile and a .dockerignore, read as text; with `--run`, the program it
    /// runs is started and stopped (`groundwork check LAB --dir PATH [--run COMMAND --port PORT]`).
    case container
    /// The learner's own test suite, run against a server of the lab's that is correct (the suite
    /// must pass) and against versions with one bug each (it must fail):
    /// `groundwork check LAB --tests "COMMAND"`.
    case tests

    /// The option that names what a lab of this subject checks, for usage messages and the web page.
    public var commandOptions: String {
        switch self {
        case .http: "--target http://127.0.0.1:PORT"
        case .git: "--repo PATH"
        case .container: "--dir PATH"
        case .tests: "--tests \"COMMAND\""
        }
    }
}

/// A built-in check of something other than an HTTP answer — a git repository, a Dockerfile, a
/// server's shutdown — named in a lab (`check: merged-branch`) with its parameters under `with:`.
public struct Inspection: Sendable {
    public let kind: InspectionKind
    /// The parameters as written; texts may hold `${name}` placeholders (seeded names).
    public let parameters: [String: InspectionValue]

    public init(kind: InspectionKind, parameters: [String: InspectionValue] = [:]) {
        self.kind = kind
        self.parameters = parameters
    }

    /// A text parameter, filled from the run's bindings; `fallback` when the lab does not set it.
    public func text(_ key: String, _ bindings: Bindings, fallback: String = "") -> String {
        guard case .text(let template) = parameters[key] else { return fallback }
        return (try? template.render(bindings)) ?? bindings.fill(template.description)
    }

    /// A number parameter; `fallback` when the lab does not set it.
    public func number(_ key: String, fallback: Int) -> Int {
        guard case .number(let value) = parameters[key] else { return fallback }
        return value
    }

    /// A list parameter, each item filled from the run's bindings; `fallback` when not set.
    public func list(_ key: String, _ bindings: Bindings, fallback: [String] = []) -> [String] {
        guard case .list(let templates) = parameters[key] else { return fallback }
        return templates.map { (try? $0.render(bindings)) ?? bindings.fill($0.description) }
    }

    /// Every `${name}` the parameters use.
    public var names: [String] {
        parameters.values.flatMap { value -> [String] in
            switch value {
            case .text(let template): template.names
            case .number: []
            case .list(let templates): templates.flatMap(\.names)
            }
        }
    }

    /// What the check does, in a line, with the run's names filled in when `bindings` are given.
    public func summary(_ bindings: Bindings = Bindings()) -> String {
        var text = kind.explanation
        for (key, value) in parameters.sorted(by: { $0.key < $1.key }) {
            let shown: String
            switch value {
            case .text(let template): shown = bindings.fill(template.description)
            case .number(let number): shown = String(number)
            case .list(let templates): shown = templates.map { bindings.fill($0.description) }.joined(separator: ", ")
            }
            text += " [\(key): \(shown)]"
        }
        return text
    }
}

/// One parameter of an ``Inspection``.
public enum InspectionValue: Sendable {
    case text(Template)
    case number(Int)
    case list([Template])

    /// The type a parameter takes, for the lab file's validation.
    public enum Shape: Sendable {
        case text, number, list
    }
}

/// Every built-in inspection, with the subject it belongs to, the parameters it takes and what it
/// checks (shown by `groundwork labs show` and on the lab page).
public enum InspectionKind: String, Sendable, CaseIterable {
    // A git repository.
    case commitMessages = "commit-messages"
    case gitignore
    case mergedBranch = "merged-branch"
    case deletedBranch = "deleted-branch"
    case rebasedBranch = "rebased-branch"
    case annotatedTag = "annotated-tag"
    case resolvedConflict = "resolved-conflict"
    case noConflictMarkers = "no-conflict-markers"
    case noSecretsInHistory = "no-secrets-in-history"
    // A container setup.
    case dockerfile
    case pinnedBase = "pinned-base"
    case multiStage = "multi-stage"
    case nonRootUser = "non-root-user"
    case healthcheck
    case execForm = "exec-form"
    case manifestsFirst = "manifests-first"
    case noSecretsInImage = "no-secrets-in-image"
    case dockerignore
    case gracefulShutdown = "graceful-shutdown"
    // A test suite.
    case suitePasses = "suite-passes"
    case suiteCatches = "suite-catches"
    case junitReport = "junit-report"
    case lineCoverage = "line-coverage"

    public var subject: LabSubject {
        switch self {
        case .suitePasses, .suiteCatches, .junitReport, .lineCoverage:
            .tests
        case .commitMessages, .gitignore, .mergedBranch, .deletedBranch, .rebasedBranch, .annotatedTag, .resolvedConflict,
            .noConflictMarkers, .noSecretsInHistory:
            .git
        default:
            .container
        }
    }

    /// The parameters it takes, with their shapes; the ones in ``requiredParameters`` must be given.
    public var parameters: [String: InspectionValue.Shape] {
        switch self {
        case .commitMessages: ["branch": .text, "min_commits": .number, "max_subject": .number]
        case .gitignore: ["ignored": .list]
        case .mergedBranch: ["branch": .text, "into": .text]
        case .deletedBranch: ["branch": .text]
        case .rebasedBranch: ["branch": .text, "onto": .text, "min_commits": .number]
        case .annotatedTag: ["tag": .text, "on": .text]
        case .resolvedConflict: ["on": .text]
        case .noConflictMarkers, .noSecretsInHistory: [:]
        case .dockerignore: ["always": .list, "when_present": .list]
        case .gracefulShutdown: ["path": .text, "signal_after_ms": .number, "exit_within_ms": .number]
        case .suiteCatches: ["bugs": .list]
        case .junitReport: ["min_tests": .number]
        case .lineCoverage: ["min_percent": .number]
        default: [:]
        }
    }

    public var requiredParameters: [String] {
        switch self {
        case .mergedBranch, .deletedBranch, .rebasedBranch: ["branch"]
        case .annotatedTag: ["tag"]
        case .gitignore: ["ignored"]
        case .gracefulShutdown: ["path"]
        case .suiteCatches: ["bugs"]
        case .lineCoverage: ["min_percent"]
        default: []
        }
    }

    /// True when only a run that started the learner's program can do it (`--run`).
    public var needsProgram: Bool { self == .gracefulShutdown }

    /// The report file the check reads (`--junit` or `--coverage`), if it reads one.
    public var reportOption: String? {
        switch self {
        case .junitReport: "--junit FILE"
        case .lineCoverage: "--coverage FILE"
        default: nil
        }
    }

    /// What it checks, in a sentence.
    public var explanation: String {
        switch self {
        case .commitMessages:
            "every commit on the branch has a message with a short subject line (no period at the end, not a placeholder "
                + "such as 'wip' or 'fix'), and a blank line before any body"
        case .gitignore:
            ".gitignore is committed, ignores each of these paths, and no tracked file is one it ignores"
        case .mergedBranch:
            "a merge commit on the main line brought the branch in (merged with --no-ff, not fast-forwarded)"
        case .deletedBranch:
            "the merged branch no longer exists"
        case .rebasedBranch:
            "the branch sits on top of the main line's newest commit, with commits of its own and no merge commit"
        case .annotatedTag:
            "the tag is annotated (it has a tagger and a message) and points at a commit of the main line"
        case .resolvedConflict:
            "a merge commit on the main line joined two parents that had both changed the same lines of a file"
        case .noConflictMarkers:
            "no file at the tip of the main line still holds conflict markers (<<<<<<<, =======, >>>>>>>)"
        case .noSecretsInHistory:
            "no commit of any branch or tag ever added a secret-looking string (a private key, a cloud or service token, "
                + "a password assigned in code) or a secret file such as .env"
        case .dockerfile:
            "the folder holds a Dockerfile that parses: instructions, line continuations and comments"
        case .pinnedBase:
            "every base image names a version tag other than 'latest', or a digest"
        case .multiStage:
            "the build has at least two stages, and the final stage copies what it needs from an earlier one"
        case .nonRootUser:
            "the final stage switches to a user other than root with USER"
        case .healthcheck:
            "the final stage declares a HEALTHCHECK"
        case .execForm:
            "CMD and ENTRYPOINT are written in exec form (a JSON array), so the server is PID 1 and receives SIGTERM"
        case .manifestsFirst:
            "dependency manifests (package.json, requirements.txt, go.mod, …) are copied and installed before the sources, "
                + "so the dependency layer stays cached while only code changes"
        case .noSecretsInImage:
            "no ENV or ARG holds a secret (a password, token or key name, or a secret-looking value)"
        case .dockerignore:
            ".dockerignore keeps these out of the build context, and also each listed path that exists in the folder"
        case .gracefulShutdown:
            "your server, started with --run, gets SIGTERM while it answers a slow request: it must finish that answer and exit in time"
        case .suitePasses:
            "your test suite, run against the correct practice API, passes (exits 0)"
        case .suiteCatches:
            "your test suite, run against each of these broken versions of the API, fails (exits with another status)"
        case .junitReport:
            "the JUnit XML report your suite writes (--junit FILE) counts at least this many tests, none failed, against the correct API"
        case .lineCoverage:
            "the coverage report your suite writes (--coverage FILE: JaCoCo XML, Cobertura XML or lcov) shows at least this share of lines covered"
        }
    }
}
