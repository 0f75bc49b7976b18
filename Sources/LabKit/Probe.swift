/// A built-in check for what one request cannot show, invoked from a lab with parameters
/// (`probe: concurrent` with `with: {…}`).
public enum Probe: Sendable {
    /// `count` copies of a request sent at once (`${i}` is 1…count in each); every answer must meet
    /// the expectation and, with `distinct`, the values at that path must all differ. A following
    /// step checks whatever must hold afterwards (nothing lost, counts add up).
    case concurrent(count: Int, check: RequestCheck, distinct: JSONPath?)
    /// The same request `repeat` times; the median of the later answers must take at most
    /// `maxRatio` × the first (a warm cache must be faster than a cold one).
    case latency(check: RequestCheck, repeat: Int, maxRatio: Double)
    /// A receiver on 127.0.0.1 whose address is `${webhook_url}`; `trigger` is sent, and the
    /// learner's server must call the receiver within `withinMS`, with a call meeting `call`.
    case webhook(trigger: RequestCheck, call: WebhookCall, withinMS: Int)
    /// The request sent again and again, up to `maxRequests`, until the server answers 429;
    /// with `retryAfter`, that answer must say when to retry.
    case burst(request: RequestSpec, maxRequests: Int, retryAfter: Bool)
    /// The learner's server stopped and started again, so later steps can check what survived.
    /// Only a run that started the server itself (`groundwork check --run`) can do this; elsewhere
    /// the stage that needs it is skipped, and the lab cannot pass.
    case restart
    /// `requests` copies of a request sent one after another, each meeting the expectation; the
    /// `header` of the answers must take at least `atLeast` different values, so several instances
    /// of the server answer behind a proxy.
    case instances(check: RequestCheck, header: String, requests: Int, atLeast: Int)

    /// The names the probes understand, for error messages.
    public static let names = ["concurrent", "latency", "webhook", "burst", "restart", "instances"]

    public var name: String {
        switch self {
        case .concurrent: "concurrent"
        case .latency: "latency"
        case .webhook: "webhook"
        case .burst: "burst"
        case .restart: "restart"
        case .instances: "instances"
        }
    }

    /// What the probe checks, in a sentence, for `groundwork labs show`.
    public var summary: String {
        switch self {
        case .concurrent(let count, let check, let distinct):
            "\(count) × \(check.request.method) \(check.request.path) at once" + (distinct.map { ", every \($0) different" } ?? "")
        case .latency(let check, let count, let ratio):
            "\(check.request.method) \(check.request.path) \(count) times; later answers take at most \(JSONValue.format(ratio * 100))% of the first"
        case .webhook(let trigger, let call, let within):
            "\(trigger.request.method) \(trigger.request.path), then your server must call ${webhook_url}\(call.method.map { " with \($0)" } ?? "") within \(within) ms"
                + (call.signature.map { ", signed with HMAC-SHA256 in \($0.header)" } ?? "")
        case .burst(let request, let maxRequests, let retryAfter):
            "\(request.method) \(request.path) up to \(maxRequests) times until it answers 429" + (retryAfter ? " with Retry-After" : "")
        case .restart:
            "your server is stopped and started again (only with groundwork check --run)"
        case .instances(let check, let header, let requests, let atLeast):
            "\(check.request.method) \(check.request.path) \(requests) times; header \(header) takes at least \(atLeast) different values"
        }
    }
}

/// What the call the learner's server makes to a webhook receiver must look like.
public struct WebhookCall: Sendable {
    /// The HTTP method of the call, e.g. POST; any method when `nil`.
    public let method: String?
    /// Headers, JSON and body checks on the call (status and timing do not apply to a request).
    public let expectation: Expectation
    /// How the call must be signed; unsigned calls pass when `nil`.
    public let signature: WebhookSignature?

    public init(method: String?, expectation: Expectation, signature: WebhookSignature? = nil) {
        self.method = method
        self.expectation = expectation
        self.signature = signature
    }
}

/// A webhook call signed as receivers expect: `header` holds `prefix` followed by the lowercase hex
/// HMAC-SHA256 of the raw body, keyed with a secret the lab handed to the learner's server. A
/// receiver that checks it knows the call came from someone who has the secret, unchanged.
public struct WebhookSignature: Sendable {
    public let header: String
    /// The key, usually a random value the trigger request sent along (`${webhook_secret}`).
    public let secret: Template
    /// Written before the digest, e.g. `sha256=`; may be empty.
    public let prefix: String

    public init(header: String, secret: Template, prefix: String) {
        self.header = header
        self.secret = secret
        self.prefix = prefix
    }
}
