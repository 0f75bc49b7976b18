/// Runs learners' SQL against the practice dataset where it can do no harm: every attempt gets its
/// own connection on a sandbox thread, with a time limit per statement, limits on rows and size,
/// and an authorizer (see ``AccessPolicy``). The dataset file itself is only ever opened read-only.
public struct Sandbox: Sendable {
    public let dataset: PracticeDataset
    public let limits: SandboxLimits

    public init(dataset: PracticeDataset, limits: SandboxLimits = SandboxLimits()) {
        self.dataset = dataset
        self.limits = limits
    }

    /// Runs `request`. A learner's mistake (bad SQL, a refused statement, a limit) is a failure
    /// result; this throws only when the dataset cannot be built or opened, or the task is cancelled.
    public func run(_ request: SandboxRequest) async throws -> Result<SandboxRun, SandboxError> {
        let path = try await dataset.path()
        let guardian = SandboxGuard(policy: request.policy)
        let session = SandboxSession(request: request, limits: limits, datasetPath: path, guardian: guardian)
        return try await withTaskCancellationHandler {
            try await SandboxThreads.pool.runIfActive {
                do throws(SQLiteFailure) {
                    return try session.run()
                } catch {
                    throw DatasetError("cannot open the SQL practice dataset at \(path): \(error.message); delete the file and it will be built again")
                }
            }
        } onCancel: {
            guardian.interrupt()
        }
    }
}
