import Foundation
import Synchronization

/// One attempt, run by a sandbox thread: takes an idle sandbox process (or starts one), sends the
/// job, waits until the attempt's deadline at most, and turns what happened into the learner's
/// result. ``cancel()`` kills the process from any thread.
final class SandboxAttempt: Sendable {
    let job: SandboxJob
    let program: String
    private let process = Mutex<SandboxProcess?>(nil)
    private let cancelled = Atomic<Bool>(false)

    init(job: SandboxJob, program: String) {
        self.job = job
        self.program = program
    }

    func cancel() {
        cancelled.store(true, ordering: .sequentiallyConsistent)
        process.withLock { $0?.kill() }
    }

    private var isCancelled: Bool { cancelled.load(ordering: .sequentiallyConsistent) }

    /// Runs the job on `worker` (which ``cancel()`` kills meanwhile).
    private func send(to worker: SandboxProcess, _ deadline: Duration) -> (SandboxProcess, SandboxProcess.Outcome) {
        process.withLock { $0 = worker }
        if isCancelled { worker.kill() }
        let outcome = worker.run(job, until: .now + deadline)
        process.withLock { $0 = nil }
        return (worker, outcome)
    }

    /// True when the attempt ended at a limit, which may have left its process large.
    private static func reachedLimit(_ answer: SandboxJob.Answer) -> Bool {
        guard case .failed(let error) = answer else { return false }
        return [.timeLimit, .resultTooLarge].contains(error.kind)
    }

    /// Starts a fresh process in place of one that was killed, while fewer than two wait idle:
    /// the attempt that cost a process pays for the next one, so the next learner does not.
    private func replenish() {
        guard SandboxThreads.idle.withLock({ $0.count }) < 2, let fresh = try? SandboxProcess(program: program) else { return }
        SandboxThreads.idle.withLock { idle in
            if idle.count < SandboxThreads.count { idle.append(fresh) } else { fresh.kill() }
        }
    }

    func run() throws -> Result<SandboxRun, SandboxError> {
        let deadline = job.limits.attemptDeadline(for: job.request)
        var (worker, outcome) = try send(to: SandboxThreads.idle.withLock { $0.popLast() } ?? SandboxProcess(program: program), deadline)
        if case .notSent = outcome, !isCancelled {
            // An idle process ended on its own (killed from outside): a fresh one takes the attempt.
            (worker, outcome) = try send(to: SandboxProcess(program: program), deadline)
        }
        if case .answered(let answer) = outcome, !Self.reachedLimit(answer), (worker.residentBytes ?? .max) <= SandboxThreads.largestIdleResidentBytes
        {
            SandboxThreads.idle.withLock { idle in
                if idle.count < SandboxThreads.count { idle.append(worker) } else { worker.kill() }
            }
        } else {
            worker.kill()
            replenish()
        }
        switch outcome {
        case .answered(let answer):
            switch answer {
            case .ran(let run): return .success(run)
            case .failed(let error): return .failure(error)
            case .datasetUnusable(let message):
                throw DatasetError(
                    "cannot open the SQL practice dataset at \(job.datasetPath): \(message); delete the file and it will be built again")
            }
        case .overran:
            return .failure(
                SandboxError(
                    .timeLimit,
                    "Your SQL ran for more than \(deadline.secondsText) in all and was stopped. Practice queries finish in milliseconds: a single function call can run for ever too (printf or format with a huge width, replace on a huge text)."
                ))
        case .died where isCancelled, .notSent where isCancelled:
            return .failure(SandboxError(.timeLimit, "Your query was stopped because the request was cancelled."))
        case .notSent:
            throw SandboxUnavailable("the SQL sandbox program \(program) ended before it took an attempt: run it by hand to see why")
        case .died:
            return .failure(
                SandboxError(
                    .resultTooLarge,
                    "Your SQL stopped the practice sandbox before it answered (most likely it needed more memory than the \((job.limits.memoryPerAttempt >> 20).grouped) MB an attempt may use); nothing else was affected. Build fewer or smaller values."
                ))
        }
    }
}
