import Foundation

/// Reads a learner's repository with the `git` command and never changes it: every command only
/// reads; optional locks are off (so not even the index's stat cache is refreshed); the person's
/// own and the system's git configuration are left out, and so is every `GIT_*` variable of this
/// process, so the answers depend on the repository alone; the repository's own configuration
/// cannot run a program (no fsmonitor, hooks, external diff or text conversion); each command has
/// a time limit and a cap on its output.
public struct GitReader: Sendable {
    /// The repository's top folder, absolute, symbolic links resolved.
    public let repository: String
    public let timeout: Duration
    public let outputLimit: Int

    public static let defaultTimeout = Duration.seconds(30)
    public static let defaultOutputLimit = 64 * 1024 * 1024

    public init(repository: String, timeout: Duration = defaultTimeout, outputLimit: Int = defaultOutputLimit) {
        self.repository = repository
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// Why a folder cannot be checked as a repository, in a sentence that says what to do.
    public struct Unusable: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The reader for the repository at `path`, which must be its top folder.
    public static func open(_ path: String) async throws(Unusable) -> GitReader {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Unusable(description: "--repo \(path): there is no folder there")
        }
        let resolved = URL(fileURLWithPath: absolute).resolvingSymlinksInPath().path
        let reader = GitReader(repository: resolved)
        let result: Output
        do {
            result = try await reader.run(["rev-parse", "--show-toplevel"])
        } catch {
            throw Unusable(description: "git could not be run (\(error.reason)): install git and make sure it is on PATH")
        }
        guard result.succeeded else {
            throw Unusable(
                description: "--repo \(path) is not a git repository (git says: \(result.errorText.trimmingCharacters(in: .whitespacesAndNewlines)))")
        }
        let top = URL(fileURLWithPath: result.text.trimmingCharacters(in: .whitespacesAndNewlines)).resolvingSymlinksInPath().path
        guard top == resolved else {
            throw Unusable(description: "--repo \(path) is inside the repository at \(top): give its top folder, --repo \(top)")
        }
        return reader
    }

    public typealias Output = BoundedCommand.Output

    /// Runs `git ARGUMENTS` in the repository.
    public func run(_ arguments: [String]) async throws(CommandFailure) -> Output {
        try await BoundedCommand.run(
            ["git"] + Self.safety(repository) + arguments, environment: Self.environment(), timeout: timeout, outputLimit: outputLimit)
    }

    /// The options every command gets: the repository, and its configuration made harmless.
    static func safety(_ repository: String) -> [String] {
        [
            "--no-pager", "-C", repository, "-c", "safe.directory=\(repository)", "-c", "core.fsmonitor=false",
            "-c", "core.hooksPath=/dev/null", "-c", "diff.external=", "-c", "core.quotePath=false", "-c", "color.ui=false",
            "-c", "log.showSignature=false", "-c", "i18n.logOutputEncoding=UTF-8",
        ]
    }

    /// This process's environment without any `GIT_*` variable, plus what keeps git to the repository.
    static func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GIT_") }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        return environment
    }

    /// The command a learner types to see the same, e.g. `git -C ~/repo log --merges main`.
    public func shown(_ arguments: [String]) -> String {
        (["git", "-C", Self.quoted(repository)] + arguments.map(Self.quoted)).joined(separator: " ")
    }

    static func quoted(_ word: String) -> String {
        guard word.isEmpty || word.contains(where: { !($0.isLetter || $0.isNumber || "-_./:=@%+,^".contains($0)) }) else { return word }
        return "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
