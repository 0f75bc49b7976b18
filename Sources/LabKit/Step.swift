/// One check inside a stage: an HTTP request with what its answer must look like, a built-in
/// probe for what a single request cannot show, or a built-in inspection of something that is not
/// an HTTP server (a git repository, a Dockerfile).
public struct Step: Sendable {
    public enum Action: Sendable {
        case request(RequestCheck)
        case probe(Probe)
        case inspect(Inspection)
    }

    public let name: String
    public let action: Action
    /// Overrides the lab's default per-request timeout; milliseconds.
    public let timeoutMS: Int?
    /// For work that finishes in the background (a job, an expiring token): the request is sent
    /// again, every ``pollIntervalMS``, until its answer meets the expectation or this many
    /// milliseconds have passed. `nil`: the first answer counts.
    public let pollMS: Int?
    /// A pause before the step, in milliseconds: so that what it creates is stamped later than
    /// what came before, even by a server whose clock counts whole seconds.
    public let waitMS: Int?
    /// The suite this step is stricter than (see ``Lab/follows``); `nil` when the suite checks the
    /// same (or its stage says so for all its steps).
    public let beyond: String?
    /// Whom the step's requests stand in for: its stage's `client:`, else its lab's.
    public let client: LabClient

    /// How long a polling step waits between two requests.
    public static let pollIntervalMS = 100

    public init(
        name: String, action: Action, timeoutMS: Int?, pollMS: Int? = nil, waitMS: Int? = nil, beyond: String? = nil,
        client: LabClient = .api
    ) {
        self.name = name
        self.action = action
        self.timeoutMS = timeoutMS
        self.pollMS = pollMS
        self.waitMS = waitMS
        self.beyond = beyond
        self.client = client
    }
}

/// A request, the expectations on its answer, and the values to keep from it for later steps.
public struct RequestCheck: Sendable {
    public let request: RequestSpec
    public let expectation: Expectation
    public let captures: [Capture]

    public init(request: RequestSpec, expectation: Expectation, captures: [Capture] = []) {
        self.request = request
        self.expectation = expectation
        self.captures = captures
    }
}

/// An HTTP request as written in a lab; placeholders are filled when it is sent.
public struct RequestSpec: Sendable {
    public let method: String
    /// Path with optional query, starting with `/`; appended to the target URL.
    public let path: Template
    public let headers: [(name: String, value: Template)]
    public let body: RequestBody?
    /// Redirects are reported as they are, unless the step asks to follow them.
    public let followRedirects: Bool

    public init(
        method: String, path: Template, headers: [(name: String, value: Template)] = [], body: RequestBody? = nil, followRedirects: Bool = false
    ) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.followRedirects = followRedirects
    }
}

/// The body a step sends.
public enum RequestBody: Sendable {
    /// Sent as `application/json` unless the step sets its own Content-Type.
    case json(JSONValue)
    /// Sent as `application/x-www-form-urlencoded`.
    case form([(name: String, value: Template)])
    /// Sent as `multipart/form-data`.
    case multipart([MultipartPart])
    /// Sent byte for byte, with the step's Content-Type header if it has one.
    case raw(Template)
}

/// One field of a multipart body; with a file name it is a file upload.
public struct MultipartPart: Sendable {
    public let name: String
    public let value: Template
    /// May hold placeholders, so every run uploads a file of a new name.
    public let filename: Template?
    public let contentType: String?

    public init(name: String, value: Template, filename: Template? = nil, contentType: String? = nil) {
        self.name = name
        self.value = value
        self.filename = filename
        self.contentType = contentType
    }
}

/// Keeps a value from an answer under a name, for `${name}` in later steps and stages.
public struct Capture: Sendable {
    public enum Source: Sendable, Equatable {
        case json(JSONPath)
        case header(String)
    }

    public let name: String
    public let source: Source
    /// A regular expression with one group: the group's match is kept instead of the whole value.
    public let pattern: String?

    public init(name: String, source: Source, pattern: String? = nil) {
        self.name = name
        self.source = source
        self.pattern = pattern
    }
}

extension Step {
    /// What the step sends and checks, in one line, for `groundwork labs show`.
    public var summary: String {
        let pause = waitMS.map { "after a pause of \($0) ms: " } ?? ""
        let stricter = beyond.map { " [beyond \($0)]" } ?? ""
        return pause + actionSummary + stricter
    }

    private var actionSummary: String {
        switch action {
        case .request(let check):
            let checks = check.expectation.summaries
            let polled = pollMS.map { " (asked again until it does, for up to \($0) ms)" } ?? ""
            return "\(check.request.method) \(check.request.path)" + (checks.isEmpty ? "" : " → " + checks.joined(separator: "; ")) + polled
        case .probe(let probe):
            return "probe \(probe.name): \(probe.summary)"
        case .inspect(let inspection):
            return "check \(inspection.kind.rawValue): \(inspection.summary())"
        }
    }
}

extension RequestCheck {
    /// Every `${name}` the request and its checks use, in the order written.
    public var names: [String] {
        var names = request.path.names + request.headers.flatMap { $0.value.names }
        switch request.body {
        case .none: break
        case .json(let value): names += value.templateNames
        case .form(let fields): names += fields.flatMap { $0.value.names }
        case .multipart(let parts): names += parts.flatMap { $0.value.names + ($0.filename?.names ?? []) }
        case .raw(let template): names += template.names
        }
        return names + expectation.names
    }

    /// Where each value this check keeps comes from, e.g. `$.article.slug`.
    public var captureSources: [(name: String, source: String)] {
        captures.map { capture in
            switch capture.source {
            case .json(let path): (capture.name, path.description)
            case .header(let header): (capture.name, "the \(header) header")
            }
        }
    }
}
