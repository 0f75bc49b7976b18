import Foundation
import LabKit
import LabRunner
import Learning
import Logging
import Storage

/// Starts lab runs from the web app. A run goes on in the background on this instance, publishing
/// each step to the database for the pages that follow it (on any instance), and its result is
/// stored when it ends — whether anyone is still watching or not.
struct LabRunLauncher: Sendable {
    let services: LabServices
    static let notSaved = "The run finished but its result could not be saved. Please run it again."

    /// What a run is asked to do, as the lab page's form says it.
    struct Request: Sendable {
        let target: URL
        let seed: UInt64
        /// Check stages 1…N only; nil checks them all.
        let throughStage: Int?
    }

    /// In team mode, refuses a learner who has tried to start too many runs lately (refused
    /// attempts count too), so a shared server cannot be used to flood a target.
    func admit(_ learner: User) async throws {
        guard services.mode == .team else { return }
        let limit = services.labRunsPerLearner
        if let wait = try await limit.retryAfter(learner.id) {
            throw UserFacingError(
                .tooManyRequests,
                "You have tried to start \(limit.limit) runs in the last \(Int(limit.window / 60)) minutes. "
                    + "Wait \(wait) seconds and run again.", headers: [.retryAfter: String(wait)])
        }
        try await limit.record(learner.id)
    }

    /// Starts `lab` for `learner`; refused while the learner has another run going on any instance.
    func start(_ lab: Lab, _ request: Request, for learner: User, logger: Logger) async throws -> LiveRun {
        let live: LiveRun
        switch try await services.liveRuns.begin(labID: lab.id, learnerID: learner.id, logger: logger) {
        case .started(let run):
            live = run
        case .busy(let running):
            throw UserFacingError(
                .conflict,
                "Your run of \(running.labID) is still going. Wait for it to finish (it will appear at "
                    + "/labs/\(running.labID)/runs/\(running.id)), then run again.")
        }
        let options = RunOptions(
            target: request.target, seed: request.seed, throughStage: request.throughStage,
            mode: services.mode.addressGuardMode)
        let services = self.services
        Task {
            let verdict = await LabRunner(options: options).run(lab) { event in
                let payload = RunStreamEvent.payload(for: event)
                live.publish(name: payload.name, data: payload.data)
            }
            let run = LabRun(id: live.id, verdict: verdict, lab: lab, learnerID: learner.id, source: .web, finishedAt: WallClock.nowSeconds())
            do {
                try await services.labRuns.record(run, report: JSONReporter.report(verdict))
                await live.finish(name: "done", data: RunStreamEvent.encode(RunStreamEvent.Done(run)))
            } catch {
                logger.error("storing a lab run failed", metadata: ["run": "\(run.id)", "error": "\(String(reflecting: error))"])
                await live.finish(name: "problem", data: RunStreamEvent.encode(RunStreamEvent.Problem(detail: Self.notSaved)))
            }
        }
        return live
    }
}
