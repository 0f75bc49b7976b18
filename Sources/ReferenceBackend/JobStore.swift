import Foundation

/// A background job of the `async-jobs` lab and everything a client may ask about it.
struct Job: Sendable {
    /// Where the job is in its life; between attempts it is queued again.
    enum Status: String, Sendable {
        case queued, running, done, failed
    }

    let id: Int
    let text: String
    /// How long each attempt works, in milliseconds.
    let workMS: Int
    /// How many attempts fail on purpose (a flaky dependency, simulated).
    let failAttempts: Int
    let callback: Callback?
    var status = Status.queued
    var attempts = 0
    var error: String?

    /// Where to report the end of the job, and the secret to sign the report with.
    struct Callback: Sendable {
        let url: String
        let secret: String
    }

    /// The result of a finished job: how many words the text has.
    var result: [String: Any]? {
        status == .done ? ["words": text.split(whereSeparator: \.isWhitespace).count] : nil
    }

    var json: [String: Any] {
        var json: [String: Any] = ["id": id, "status": status.rawValue, "attempts": attempts]
        if let result { json["result"] = result }
        if let error { json["error"] = error }
        return json
    }
}

/// The jobs, and which job each Idempotency-Key created. One change at a time, so two requests
/// with the same key can never create two jobs.
actor JobStore {
    private var jobs: [Int: Job] = [:]
    private var byKey: [String: Int] = [:]
    private var nextID = 1

    /// A new queued job — or, for a key seen before, the job it created and `false`.
    func enqueue(text: String, workMS: Int, failAttempts: Int, callback: Job.Callback?, key: String?) -> (job: Job, created: Bool) {
        if let key, let id = byKey[key], let job = jobs[id] { return (job, false) }
        let job = Job(id: nextID, text: text, workMS: workMS, failAttempts: failAttempts, callback: callback)
        nextID += 1
        jobs[job.id] = job
        if let key { byKey[key] = job.id }
        return (job, true)
    }

    func job(_ id: Int) -> Job? { jobs[id] }

    /// Applies `change` to the job and returns it as it is now.
    @discardableResult
    func update(_ id: Int, _ change: (inout Job) -> Void) -> Job {
        change(&jobs[id]!)
        return jobs[id]!
    }
}
