import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore

/// Works off one job: attempts it, retries a failed attempt after a growing pause up to
/// ``maximumAttempts``, records the outcome, then calls the job's webhook with a signed report.
/// A real server hands jobs to a broker (RabbitMQ, Redis, a jobs table) and a worker process; here
/// a task per job plays the worker.
struct JobWorker: Sendable {
    let store: JobStore
    let mutant: AsyncJobsMutant?

    static let maximumAttempts = 3
    /// The header that carries the webhook's signature: `sha256=` and the hex HMAC of the body.
    static let signatureHeader = "X-Signature"

    func run(_ id: Int) async {
        var job: Job
        while true {
            job = await store.update(id) { job in
                job.attempts += 1
                if mutant != .noRunningStatus { job.status = .running }
            }
            try? await Task.sleep(for: .milliseconds(job.workMS))
            if job.attempts > job.failAttempts {
                job = await store.update(id) { $0.status = .done }
                break
            }
            let reason = "attempt \(job.attempts) failed: the simulated dependency is down"
            guard job.attempts < attemptLimit else {
                job = await store.update(id) { job in
                    job.status = .failed
                    job.error = "gave up after \(job.attempts) attempts; the last \(reason)"
                }
                break
            }
            job = await store.update(id) { $0.status = .queued }
            try? await Task.sleep(for: .milliseconds(200 << (job.attempts - 1)))
        }
        if let callback = job.callback { await report(job, to: callback) }
    }

    /// ``maximumAttempts``; the `no-retry` mutant gives up at once, `retry-limit-ignored` goes on
    /// (to 10, so a test process does not spin for ever).
    private var attemptLimit: Int {
        switch mutant {
        case .noRetry: 1
        case .retryLimitIgnored: 10
        default: Self.maximumAttempts
        }
    }

    /// POSTs `{"id", "status", "result" | "error"}` to the callback URL, signed with its secret.
    private func report(_ job: Job, to callback: Job.Callback) async {
        var payload: [String: Any] = ["id": job.id, "status": job.status.rawValue]
        payload["result"] = job.result
        payload["error"] = job.error
        guard let body = try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys]) else { return }
        var request = HTTPClientRequest(url: callback.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if mutant != .noSignature {
            request.headers.add(name: Self.signatureHeader, value: "sha256=" + Self.hmacHex(body, secret: callback.secret))
        }
        let sent =
            mutant == .signatureOfOtherBytes
            ? (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .prettyPrinted])) ?? body
            : body
        request.body = .bytes(ByteBuffer(bytes: sent))
        _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(5))
    }

    static func hmacHex(_ body: Data, secret: String) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }
}
