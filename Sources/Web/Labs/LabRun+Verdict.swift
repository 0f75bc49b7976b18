import Foundation
import LabKit
import LabRunner
import Learning
import Storage

extension LabRun {
    /// The stored row for a finished run. It counts as passed only when every stage of the lab was
    /// checked and passed: a run of stages 1…N, however green, does not verify the lab's topics.
    init(id: String, verdict: LabVerdict, lab: Lab, learnerID: String, source: LabRunSource, finishedAt: Int64) {
        let stagesPassed = verdict.stages.filter { $0.outcome == .passed }.count
        self.init(
            id: id, learnerID: learnerID, labID: lab.id, startedAt: finishedAt - Int64(verdict.durationMS / 1000),
            finishedAt: finishedAt, passed: verdict.passed && stagesPassed == lab.stages.count,
            stagesPassed: stagesPassed, stageCount: lab.stages.count, source: source)
    }

    /// The page that shows this run in full.
    var resultPath: String { "/labs/\(labID)/runs/\(id)" }
}

extension RunStreamEvent.Done {
    init(_ run: LabRun) {
        self.init(id: run.id, passed: run.passed, stagesPassed: run.stagesPassed, stageCount: run.stageCount, result: run.resultPath)
    }
}

extension AppConfiguration.Mode {
    /// What the address guard allows in this mode: loopback and private networks only in personal mode.
    var addressGuardMode: AddressGuard.Mode {
        switch self {
        case .personal: .personal
        case .team: .team
        }
    }
}
