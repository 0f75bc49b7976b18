import Foundation
import HTTPTypes
import Hummingbird

/// Plausible bugs in an `async-jobs` solution, each caught by one stage.
enum AsyncJobsMutant: String, MutantCase {
    case syncJobs = "sync-jobs"
    case noRunningStatus = "no-running-status"
    case idempotencyIgnored = "idempotency-ignored"
    case noSignature = "no-signature"
    case signatureOfOtherBytes = "signature-of-other-bytes"
    case noRetry = "no-retry"
    case retryLimitIgnored = "retry-limit-ignored"

    var stage: String {
        switch self {
        case .syncJobs: "accept"
        case .noRunningStatus: "lifecycle"
        case .idempotencyIgnored: "idempotency"
        case .noSignature, .signatureOfOtherBytes: "webhook"
        case .noRetry, .retryLimitIgnored: "retries"
        }
    }

    var bug: String {
        switch self {
        case .syncJobs: "POST /jobs does the work before answering, then answers 200 with the finished job"
        case .noRunningStatus: "the job goes from queued straight to done; nobody ever sees it running"
        case .idempotencyIgnored: "Idempotency-Key is ignored, so a retried POST starts a second job"
        case .noSignature: "the webhook is called without a signature"
        case .signatureOfOtherBytes:
            "the payload is signed, then sent re-encoded (pretty-printed), so the signature does not match the bytes received"
        case .noRetry: "a failed attempt fails the job at once"
        case .retryLimitIgnored: "failed attempts are retried without a limit, so a job that keeps failing never ends"
        }
    }
}

/// The correct `async-jobs` solution (or one mutant of it): jobs accepted with 202 and a Location,
/// worked off in the background (queued → running → done), deduplicated by Idempotency-Key,
/// retried a bounded number of times, and reported to a webhook with an HMAC-SHA256 signature.
struct AsyncJobsBackend {
    let mutant: AsyncJobsMutant?

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        let routes = Routes(router: router)
        let store = JobStore()
        let worker = JobWorker(store: store, mutant: mutant)
        routes.add("/jobs", [.post: { request, _ in try await create(request, store: store, worker: worker) }])
        routes.add("/jobs/:id", [.get: { _, context in try await read(context, store: store) }])
        return router
    }

    private func create(_ request: Request, store: JobStore, worker: JobWorker) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        let text = try fields.text("text", maxLength: 10_000)
        let workMS = try fields.wholeNumber("work_ms", in: 0...10_000) ?? 0
        let failAttempts = try fields.wholeNumber("fail_attempts", in: 0...100) ?? 0
        let callback = try Self.callback(fields)
        let key = mutant == .idempotencyIgnored ? nil : request.headers[Self.idempotencyKey]
        let (job, created) = await store.enqueue(text: text, workMS: workMS, failAttempts: failAttempts, callback: callback, key: key)
        let location: HTTPFields = [.location: "/jobs/\(job.id)"]
        guard created else { return JSON.response(job.json, headers: location) }
        if mutant == .syncJobs {
            await worker.run(job.id)
            return JSON.response(await store.job(job.id)!.json, headers: location)
        }
        Task { await worker.run(job.id) }
        return JSON.response(job.json, status: .accepted, headers: location)
    }

    private func read(_ context: BasicRequestContext, store: JobStore) async throws -> Response {
        guard let id = context.parameters.get("id").flatMap({ Int($0) }), let job = await store.job(id) else {
            throw RequestProblem(.notFound, "There is no job '\(context.parameters.get("id") ?? "")'")
        }
        return JSON.response(job.json)
    }

    /// `callback_url` with `callback_secret`, both or neither.
    private static func callback(_ fields: [String: JSONInput]) throws -> Job.Callback? {
        guard fields["callback_url"] != nil || fields["callback_secret"] != nil else { return nil }
        let url = try fields.text("callback_url", maxLength: 2000)
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw RequestProblem(.unprocessableContent, "'callback_url' must be an http:// or https:// URL")
        }
        return Job.Callback(url: url, secret: try fields.text("callback_secret"))
    }
}
