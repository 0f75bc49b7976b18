import Foundation
import HTTPTypes
import Hummingbird
import LabKit
import LabRunner
import Learning
import Storage

/// The lab pages: every lab with the learner's best result; one lab with its brief, how each stage
/// is tested, the run form and the learner's runs; a run's full result; and the live stream of a
/// run as server-sent events.
struct LabPages {
    let services: LabServices
    static let historyLength = 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/labs", use: list)
        router.get("/labs/:id", use: lab)
        router.post("/labs/:id/runs", use: startRun)
        router.get("/labs/:id/runs/:runId", use: result)
        router.get("/labs/:id/runs/:runId/events", use: events)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let model = LabsPageModel(
            path: services.path, roadmap: services.roadmap, best: try await services.standing.bestLabResults(of: context.learner),
            verified: try await services.standing.verifiedTopics(of: context.learner),
            states: try await services.standing.states(of: context.learner),
            showSignInHint: services.mode == .team && context.learner == nil
        )
        return services.pages.render("labs", title: "Labs", content: model, context: context)
    }

    @Sendable func lab(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await labPage(try findLab(context), form: .init(), context: context)
    }

    /// Starts a run. The page's script asks for JSON and follows the run live; a plain form post
    /// (no JavaScript) waits for the run to end and is redirected to its result.
    @Sendable func startRun(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        guard let learner = context.learner else {
            return .redirect(to: "/signin?next=/labs/\(lab.id)", type: .normal)
        }
        let fields = try await FormFields(request, context: context)
        let wantsJSON = request.headers[.accept]?.contains("application/json") == true
        var form = LabPageModel.Form(target: fields.first("target") ?? "", stage: fields.first("stage") ?? "")
        let launcher = LabRunLauncher(services: services)
        do {
            try await launcher.admit(learner)
            let run = try await launcher.start(
                lab, try await runRequest(form, seed: fields.first("seed"), lab: lab), for: learner, logger: context.logger)
            if wantsJSON {
                return try JSONBody.response(
                    StartedRun(id: run.id, events: run.resultPath + "/events", result: run.resultPath),
                    status: .accepted, headers: [.location: run.resultPath])
            }
            for try await event in services.liveRuns.events(of: run.id, after: 0) where event.name == "problem" {
                throw UserFacingError(.internalServerError, LabRunLauncher.notSaved)
            }
            return .redirect(to: run.resultPath, type: .normal)
        } catch let error as UserFacingError where !wantsJSON && error.status != .internalServerError {
            form.message = error.detail
            return try await labPage(lab, form: form, context: context, status: error.status)
        }
    }

    /// The run the form asks for, once the target is judged safe to call.
    private func runRequest(_ form: LabPageModel.Form, seed: String?, lab: Lab) async throws -> LabRunLauncher.Request {
        guard lab.subject == .http else {
            throw UserFacingError(
                .unprocessableContent,
                "This lab checks files on your machine, which this server cannot read: run `groundwork check \(lab.id) \(lab.subject.commandOptions)` in a terminal."
            )
        }
        let target = try RunTarget.parse(form.target ?? "").get()
        var throughStage: Int?
        if !form.stage.isEmpty {
            guard let number = Int(form.stage), lab.stages.indices.contains(number - 1) else {
                throw UserFacingError(.unprocessableContent, "Choose the stages to check: all, or 1 to \(lab.stages.count).")
            }
            throughStage = number
        }
        if let refusal = await RunTarget.refusal(for: target, labID: lab.id, mode: services.mode.addressGuardMode) {
            throw refusal
        }
        return LabRunLauncher.Request(target: target, seed: seed.flatMap { UInt64($0) } ?? RunOptions.randomSeed(), throughStage: throughStage)
    }

    /// Where the page's script finds a run it started.
    struct StartedRun: Codable {
        let id: String
        let events: String
        let result: String
    }

    @Sendable func result(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        let runID = context.parameters.get("runId") ?? ""
        guard let learner = context.learner else {
            return .redirect(to: "/signin?next=/labs/\(lab.id)/runs/\(runID)", type: .normal)
        }
        if let live = try await services.liveRuns.going(id: runID), live.learnerID == learner.id, live.labID == lab.id {
            let model = RunningModel(labID: lab.id, labTitle: lab.title, events: "/labs/\(lab.id)/runs/\(live.id)/events")
            return services.pages.render("lab-running", title: lab.title, content: model, context: context)
        }
        let (run, verdict) = try await stored(runID, of: lab, learner: learner)
        let model = LabRunPageModel(run: run, verdict: verdict, lab: lab)
        return services.pages.render("lab-run", title: "\(lab.title): \(model.headline)", content: model, context: context)
    }

    /// A run still going, for a page opened before it ended.
    struct RunningModel {
        let labID: String
        let labTitle: String
        let events: String
    }

    /// `text/event-stream`: a run in progress as it happens (read from the database, so it may be
    /// executing on another instance), or a stored run replayed the same way.
    /// A reconnecting browser sends `Last-Event-ID` and gets only what it missed; when nothing is
    /// left, 204 tells it to stop reconnecting.
    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lab = try findLab(context)
        let learner = try context.requireLearner()
        let runID = context.parameters.get("runId") ?? ""
        let lastID = request.headers[.lastEventID].flatMap { Int($0) } ?? 0
        let stream: AsyncThrowingStream<RunStreamEvent, any Error>
        if let live = try await services.liveRuns.going(id: runID), live.learnerID == learner.id, live.labID == lab.id {
            stream = services.liveRuns.events(of: live.id, after: lastID)
        } else {
            let (run, verdict) = try await stored(runID, of: lab, learner: learner)
            let events = RunStreamEvent.replay(verdict, done: .init(run)).filter { $0.id > lastID }
            guard !events.isEmpty else { return Response(status: .noContent) }
            stream = AsyncThrowingStream { continuation in
                for event in events { continuation.yield(event) }
                continuation.finish()
            }
        }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .xAccelBuffering: "no"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                for try await event in stream {
                    try await writer.write(ByteBuffer(string: event.text))
                }
                try await writer.finish(nil)
            })
    }

    private func labPage(_ lab: Lab, form: LabPageModel.Form, context: AppRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response
    {
        var history: [LabRun] = []
        if let learner = context.learner {
            history = try await services.labRuns.history(learnerID: learner.id, labID: lab.id, limit: Self.historyLength)
        }
        let model = LabPageModel(
            lab: lab, catalog: services.labs, roadmap: services.roadmap, history: history,
            best: try await services.standing.bestLabResults(of: context.learner)[lab.id],
            verified: try await services.standing.verifiedTopics(of: context.learner),
            form: form, canRun: context.learner != nil, teamMode: services.mode == .team
        )
        return services.pages.render("lab", title: lab.title, content: model, context: context, status: status)
    }

    private func stored(_ runID: String, of lab: Lab, learner: User) async throws -> (LabRun, LabVerdict) {
        guard let stored = try await services.labRuns.find(id: runID, learnerID: learner.id), stored.run.labID == lab.id else {
            throw UserFacingError(.notFound, "You have no run '\(runID)' of \(lab.id). The lab's page lists your runs: /labs/\(lab.id).")
        }
        return (stored.run, try JSONDecoder().decode(LabVerdict.self, from: Data(stored.report.utf8)))
    }

    private func findLab(_ context: AppRequestContext) throws -> Lab {
        let id = context.parameters.get("id") ?? ""
        guard let lab = services.labs.lab(id: id) else {
            let known = services.labs.labs.map(\.id).joined(separator: ", ")
            throw UserFacingError(.notFound, "There is no lab '\(id)'. The labs are: \(known); /labs lists them all.")
        }
        return lab
    }
}

extension HTTPField.Name {
    static let lastEventID = Self("Last-Event-ID")!
    /// Tells nginx not to buffer a response, so server-sent events reach the browser as they happen.
    static let xAccelBuffering = Self("X-Accel-Buffering")!
}
