import Foundation

/// Runs learners' SQL against the practice dataset where it can do no harm: every attempt runs in
/// a sandbox process (see ``SandboxWorker``) on its own connection, with a time limit per
/// statement, limits on rows, size and memory, and an authorizer (see ``AccessPolicy``); the
/// process is killed when an attempt outlives its deadline, whatever SQLite is doing. Each learner
/// runs one attempt at a time (see ``AttemptQueue``). The dataset file is only ever opened read-only.
public struct Sandbox: Sendable {
    public let dataset: PracticeDataset
    public let limits: SandboxLimits
    private let queue = AttemptQueue(maxWaiting: 2)

    public init(dataset: PracticeDataset, limits: SandboxLimits = SandboxLimits()) {
        self.dataset = dataset
        self.limits = limits
    }

    /// Runs `request`, one at a time for `learner` (any stable key: an account, an address) when
    /// given. A learner's mistake (bad SQL, a refused statement, a limit, too many attempts at
    /// once) is a failure result; this throws only when the dataset cannot be built or opened, the
    /// sandbox program is missing, or the task is cancelled.
    public func run(_ request: SandboxRequest, by learner: String? = nil) async throws -> Result<SandboxRun, SandboxError> {
        let path = try await dataset.path()
        let program = try SandboxProgram.path()
        if let learner {
            if let busy = await queue.enter(learner) { return .failure(busy) }
        }
        defer { if let learner { queue.leave(learner) } }
        let attempt = SandboxAttempt(job: SandboxJob(request: request, limits: limits, datasetPath: path), program: program)
        return try await withTaskCancellationHandler {
            try await SandboxThreads.pool.runIfActive { try attempt.run() }
        } onCancel: {
            attempt.cancel()
        }
    }
}

/// Where the `groundwork-sql-sandbox` program is: beside the running executable (groundwork, or a
/// test bundle, in the same build folder), or where `GROUNDWORK_SQL_SANDBOX` says.
enum SandboxProgram {
    static let name = "groundwork-sql-sandbox"

    static func path() throws(SandboxUnavailable) -> String {
        if let configured = ProcessInfo.processInfo.environment["GROUNDWORK_SQL_SANDBOX"], !configured.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: configured) else {
                throw SandboxUnavailable(
                    "GROUNDWORK_SQL_SANDBOX names \(configured), which is not an executable file: point it at the \(name) program built with groundwork, or unset it"
                )
            }
            return configured
        }
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent()].map { $0.appendingPathComponent(name).path }
        guard let found = candidates.first(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw SandboxUnavailable(
                "SQL practice needs the \(name) program beside \(executable), and it is not there: `swift build` builds it with groundwork; install both together (or set GROUNDWORK_SQL_SANDBOX to its path)"
            )
        }
        return found
    }
}
