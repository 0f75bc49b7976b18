import Foundation
import Hummingbird
import LabKit
import LabRunner
import Learning
import Storage

/// `POST /api/v1/lab-runs` and `GET /api/v1/lab-runs`: where `groundwork check … --upload` sends
/// a run made on the learner's own machine (the way to check a local server against a team
/// server), and the caller's history of runs.
struct LabRunController {
    let services: LabServices
    static let historyLength = 100
    static let maxReportBytes = 256 * 1024
    static let example = "the JSON that `groundwork check LAB --target URL --format json` prints"

    struct Created: Codable {
        let id: String
        let lab: String
        let passed: Bool
    }

    struct RunSummary: Codable {
        let id: String
        let lab: String
        let passed: Bool
        let stagesPassed: Int
        let stageCount: Int
        let source: LabRunSource
        let startedAt: Int64
        let finishedAt: Int64

        init(_ run: LabRun) {
            id = run.id
            lab = run.labID
            passed = run.passed
            stagesPassed = run.stagesPassed
            stageCount = run.stageCount
            source = run.source
            startedAt = run.startedAt
            finishedAt = run.finishedAt
        }
    }

    struct RunList: Codable {
        let runs: [RunSummary]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/lab-runs", use: list)
        group.post("/lab-runs", use: upload)
    }

    /// The caller's runs, newest first; `?lab=ID` keeps one lab's.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let lab = request.uri.queryParameters["lab"].map(String.init)
        let runs = try await services.labRuns.history(learnerID: learner.id, labID: lab, limit: Self.historyLength)
        return try JSONBody.response(RunList(runs: runs.map(RunSummary.init)))
    }

    /// Stores a report made on the learner's machine. This server did not run it, so it is stored
    /// as an upload (pages say it ran on the learner's machine), at most 256 KiB, and in team mode
    /// at most 20 per learner in 10 minutes.
    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        if services.mode == .team {
            try await services.uploadsPerLearner.enforce(learner.id) {
                "You have uploaded \(services.uploadsPerLearner.limit) lab runs in the last 10 minutes. Wait \($0) seconds and upload again."
            }
        }
        var request = request
        let body = try await request.collectBody(upTo: min(context.maxUploadSize, Self.maxReportBytes))
        let verdict: LabVerdict
        do {
            verdict = try JSONDecoder().decode(LabVerdict.self, from: Data(buffer: body))
        } catch {
            throw UserFacingError(.badRequest, "The body is not a lab report (\(Self.reason(error))). Send \(Self.example).")
        }
        let lab = try validate(verdict)
        let run = LabRun(id: LabRun.makeID(), verdict: verdict, lab: lab, learnerID: learner.id, source: .upload, finishedAt: WallClock.nowSeconds())
        try await services.labRuns.record(run, report: JSONReporter.report(verdict))
        return try JSONBody.response(
            Created(id: run.id, lab: lab.id, passed: run.passed), status: .created,
            headers: [.location: run.resultPath])
    }

    /// The lab the report is of, if its stages are that lab's, in order.
    private func validate(_ verdict: LabVerdict) throws -> Lab {
        guard let lab = services.labs.lab(id: verdict.lab) else {
            let known = services.labs.labs.map(\.id).joined(separator: ", ")
            throw UserFacingError(.unprocessableContent, "This server has no lab '\(verdict.lab)' (its labs are: \(known)).")
        }
        let expected = lab.stages.prefix(verdict.stages.count).map(\.id)
        guard !verdict.stages.isEmpty, verdict.stages.count <= lab.stages.count, verdict.stages.map(\.id) == expected else {
            throw UserFacingError(
                .unprocessableContent,
                "The report's stages (\(verdict.stages.map(\.id).joined(separator: ", "))) are not "
                    + "those of lab \(lab.id) (\(lab.stages.map(\.id).joined(separator: ", "))). Update groundwork and check again.")
        }
        return lab
    }

    /// Where the JSON went wrong, in a few words.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            "'\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))' is missing"
        case DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty:
            "it is not a JSON object"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
            "'\(context.codingPath.map(\.stringValue).joined(separator: "."))' has a value it cannot have"
        default:
            "it is not valid JSON"
        }
    }
}
