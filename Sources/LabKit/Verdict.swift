/// Passed, failed, or not run because an earlier stage or step failed.
public enum Outcome: String, Sendable, Codable {
    case passed, failed, skipped
}

/// The result of one lab run: what was checked, against what, with which seed, and how each
/// stage went. Pure data, so the CLI, the web app and a stored history all read the same thing.
public struct LabVerdict: Sendable, Codable {
    public let lab: String
    public let title: String
    public let target: String
    /// Replays this run exactly with `--seed`.
    public let seed: UInt64
    public var outcome: Outcome
    public var durationMS: Int
    public var stages: [StageVerdict]

    public init(lab: String, title: String, target: String, seed: UInt64, outcome: Outcome, durationMS: Int, stages: [StageVerdict]) {
        self.lab = lab
        self.title = title
        self.target = target
        self.seed = seed
        self.outcome = outcome
        self.durationMS = durationMS
        self.stages = stages
    }

    public var passed: Bool { outcome == .passed }

    public var firstFailedStage: StageVerdict? { stages.first { $0.outcome == .failed } }
}

/// How one stage went.
public struct StageVerdict: Sendable, Codable {
    /// 1-based, as `--stage` takes it.
    public let number: Int
    public let id: String
    public let title: String
    public var outcome: Outcome
    /// The stage's hint; shown with its failures.
    public let hint: String
    /// Why a skipped stage was not run, e.g. an earlier stage failed.
    public var skipReason: String?
    /// The public suite this stage is stricter than, when it is (see ``Lab/follows``).
    public var beyond: String?
    public var steps: [StepVerdict]

    public init(
        number: Int, id: String, title: String, outcome: Outcome, hint: String, skipReason: String? = nil,
        beyond: String? = nil, steps: [StepVerdict]
    ) {
        self.number = number
        self.id = id
        self.title = title
        self.outcome = outcome
        self.hint = hint
        self.skipReason = skipReason
        self.beyond = beyond
        self.steps = steps
    }
}

/// How one step went; a failed step carries everything needed to understand and reproduce it.
public struct StepVerdict: Sendable, Codable {
    public let name: String
    public var outcome: Outcome
    public var durationMS: Int
    /// What the step checks, one line per check.
    public var expected: [String]
    /// Each way the answer missed, e.g. `status: expected 201, got 200`.
    public var failures: [String]
    /// Observations worth showing even on success, e.g. "429 after 12 requests".
    public var notes: [String]
    /// The offending exchange of a failed step.
    public var exchange: Exchange?
    /// The public suite this step is stricter than, when it is (see ``Lab/follows``).
    public var beyond: String?
    /// Set when the step could not even be sent because an earlier step failed to capture a value
    /// it needs: that earlier step is the one to fix, and this step's hint does not apply.
    public var blockedBy: String?
    /// The pause taken before the step, in milliseconds, so a report can show where time went.
    public var waitedMS: Int?
    /// What a failed inspection saw, for a check that is no HTTP exchange: the commands it ran
    /// (`$ git log …`) and the lines of their output or of the file that matter.
    public var transcript: [String]?
    /// A shell command that shows the same thing on the learner's machine, where a `curl` line
    /// cannot (`git -C repo log --merges main`).
    public var reproduce: String?

    public init(
        name: String, outcome: Outcome, durationMS: Int = 0, expected: [String] = [], failures: [String] = [],
        notes: [String] = [], exchange: Exchange? = nil, beyond: String? = nil, blockedBy: String? = nil, waitedMS: Int? = nil,
        transcript: [String]? = nil, reproduce: String? = nil
    ) {
        self.name = name
        self.outcome = outcome
        self.durationMS = durationMS
        self.expected = expected
        self.failures = failures
        self.notes = notes
        self.exchange = exchange
        self.beyond = beyond
        self.blockedBy = blockedBy
        self.waitedMS = waitedMS
        self.transcript = transcript
        self.reproduce = reproduce
    }
}

/// One request and what came back: an answer, or a transport error.
public struct Exchange: Sendable, Codable {
    public let request: RecordedRequest
    public let response: RecordedResponse?
    public let transportError: TransportError?
    /// A `curl` command that sends the same request.
    public let curl: String

    public init(request: RecordedRequest, response: RecordedResponse?, transportError: TransportError?) {
        self.request = request
        self.response = response
        self.transportError = transportError
        self.curl = CurlCommand.make(for: request)
    }
}

/// A request exactly as it was sent.
public struct RecordedRequest: Sendable, Codable {
    public let method: String
    public let url: String
    public let headers: [Header]
    /// The body as text (multipart bodies included); `nil` when there was none.
    public let body: String?
    public let followRedirects: Bool

    public init(method: String, url: String, headers: [Header], body: String?, followRedirects: Bool) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.followRedirects = followRedirects
    }
}

/// An answer, with its body cut to a size a person can read.
public struct RecordedResponse: Sendable, Codable {
    public let status: Int
    public let headers: [Header]
    public let body: String
    /// The full body length in bytes; more than `body` holds when it was cut.
    public let bodyBytes: Int
    public let truncated: Bool
    public let elapsedMS: Int
    /// An HTML page in a few readable lines (its title and first lines of text, never its
    /// stylesheets or scripts): what a report shows instead of the page's markup.
    public let pageSummary: [String]?

    public init(status: Int, headers: [Header], body: String, bodyBytes: Int, truncated: Bool, elapsedMS: Int) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyBytes = bodyBytes
        self.truncated = truncated
        self.elapsedMS = elapsedMS
        let type = headers.first { $0.name.lowercased() == "content-type" }?.value
        self.pageSummary = HTMLSummary.lines(of: body, contentType: type)
    }

    /// The `Location` header of a redirect.
    public var location: String? {
        headers.first { $0.name.lowercased() == "location" }?.value
    }
}

/// A header name and value, in the order they were sent.
public struct Header: Sendable, Codable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Why no HTTP answer came back, told apart so the hint can say what to do.
public struct TransportError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable {
        case connectionRefused = "connection-refused"
        case timeout
        case connectionReset = "connection-reset"
        case tls
        case notHTTP = "not-http"
        case hostNotFound = "host-not-found"
        case addressRefused = "address-refused"
        case other
    }

    public let kind: Kind
    public let message: String
    public let hint: String

    public init(kind: Kind, message: String, hint: String) {
        self.kind = kind
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) — \(hint)" }
}
