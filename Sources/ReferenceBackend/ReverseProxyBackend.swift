import Foundation
import HTTPTypes
import Hummingbird

/// Plausible bugs in a `reverse-proxy` setup, each caught by one stage. Some live in the app,
/// others in the proxy's configuration (``ReverseProxyMutant/inProxy``): a reference setup applies
/// those when it writes the nginx configuration (``NginxConfiguration``).
enum ReverseProxyMutant: String, MutantCase {
    case singleUpstream = "single-upstream"
    case statePerInstance = "state-per-instance"
    case ignoresForwarded = "ignores-forwarded"
    case lastForwardedAddress = "last-forwarded-address"
    case protoOverwritten = "proto-overwritten"
    case gzipDefaultTypes = "gzip-default-types"
    case staticThroughApp = "static-through-app"
    case staticWithoutExpiry = "static-without-expiry"

    var stage: String {
        switch self {
        case .singleUpstream: "instances"
        case .statePerInstance: "shared-state"
        case .ignoresForwarded, .lastForwardedAddress, .protoOverwritten: "forwarded"
        case .gzipDefaultTypes: "compression"
        case .staticThroughApp, .staticWithoutExpiry: "static"
        }
    }

    var bug: String {
        switch self {
        case .singleUpstream: "the upstream block lists one instance, so the second never gets a request"
        case .statePerInstance: "each instance keeps data in its own memory, so a read that lands on the other instance finds nothing"
        case .ignoresForwarded: "the app reports the address of the connection — the proxy's — and ignores X-Forwarded-For and -Proto"
        case .lastForwardedAddress: "the app takes the last X-Forwarded-For address, which is the proxy's view of the load balancer, not the client"
        case .protoOverwritten: "the proxy sets X-Forwarded-Proto to its own $scheme, so the https the load balancer reported is lost"
        case .gzipDefaultTypes: "gzip is on, but gzip_types is left at its default (text/html only), so text and JSON go out uncompressed"
        case .staticThroughApp: "/static/ has no location of its own, so static files are asked of the app"
        case .staticWithoutExpiry: "static files are served without Cache-Control, so browsers ask for them again every time"
        }
    }

    /// The bug is in the proxy's configuration; the app behind it is correct.
    var inProxy: Bool {
        [.singleUpstream, .protoOverwritten, .gzipDefaultTypes, .staticThroughApp, .staticWithoutExpiry].contains(self)
    }
}

/// The app of the correct `reverse-proxy` setup (or one mutant of it), meant to run as several
/// instances behind a proxy: it names itself in `X-Instance-Id`, keeps its data in a store all
/// instances share (the data file), reports the client's address and scheme from the headers a
/// trusted proxy sets, and serves texts worth compressing.
struct ReverseProxyBackend {
    let mutant: ReverseProxyMutant?
    let instanceID: String
    /// The store the instances share; in memory (one per instance) when `nil`.
    let dataFile: URL?

    static let instanceHeader = HTTPField.Name("X-Instance-Id")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func router() throws(DataFileProblem) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: InstanceHeaderMiddleware(instanceID: instanceID))
        let routes = Routes(router: router)
        let store = try SharedValues(file: mutant == .statePerInstance ? nil : dataFile)
        routes.add("/whoami", [.get: { request, _ in whoami(request) }])
        routes.add(
            "/kv/:key",
            [
                .get: { _, context in try await read(context, store: store) },
                .put: { request, context in try await write(request, context: context, store: store) },
            ])
        routes.add("/report", [.get: { _, _ in JSON.text(Self.report) }])
        routes.add("/items", [.get: { _, _ in JSON.response(Self.items) }])
        return router
    }

    // MARK: handlers

    private func whoami(_ request: Request) -> Response {
        let peer = PeerAddress.current ?? "unknown"
        let trusted = mutant != .ignoresForwarded && Self.isLoopback(peer)
        let client = trusted ? clientAddress(forwardedFor: request.headers[Self.forwardedFor], peer: peer) : peer
        let scheme = trusted ? (request.headers[Self.forwardedProto] ?? "http") : "http"
        return JSON.response(["instance": instanceID, "client_ip": client, "scheme": scheme])
    }

    private func read(_ context: BasicRequestContext, store: SharedValues) async throws -> Response {
        let key = context.parameters.get("key") ?? ""
        guard let value = try await store.value(key) else { throw RequestProblem(.notFound, "Nothing is stored under '\(key)'") }
        return JSON.response(["key": key, "value": value])
    }

    private func write(_ request: Request, context: BasicRequestContext, store: SharedValues) async throws -> Response {
        let key = context.parameters.get("key") ?? ""
        let value = try await JSONRequestBody.object(request).text("value", maxLength: 10_000)
        try await store.set(key, value)
        return JSON.response(["key": key, "value": value])
    }

    // MARK: helpers

    /// Walks X-Forwarded-For from the right past the proxies we trust (loopback): the first
    /// address that is not one of them is the client. Addresses further left were written by the
    /// client itself and prove nothing.
    private func clientAddress(forwardedFor: String?, peer: String) -> String {
        let chain = (forwardedFor ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if mutant == .lastForwardedAddress { return chain.last ?? peer }
        return chain.reversed().first { !Self.isLoopback($0) } ?? chain.first ?? peer
    }

    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    /// About 4 KB of plain text: worth compressing.
    static let report = (1...100).map { "line \($0) of the report: the quick brown fox jumps over the lazy dog" }.joined(separator: "\n") + "\n"

    /// About 4 KB of JSON: worth compressing.
    static var items: [[String: Any]] {
        (1...100).map { ["id": $0, "name": "item \($0)", "in_stock": $0 % 3 != 0] }
    }
}

/// Names the instance that answered in `X-Instance-Id`, on every answer, errors included.
struct InstanceHeaderMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let instanceID: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[ReverseProxyBackend.instanceHeader] = instanceID
        return response
    }
}

/// Values by key, in a data file every instance reads on each request and rewrites on each change,
/// so any instance sees what another wrote (a real app uses its database or Redis); without a file,
/// in this instance's memory only.
actor SharedValues {
    private let file: DataFile<[String: String]>?
    private var memory: [String: String] = [:]

    init(file: URL?) throws(DataFileProblem) {
        self.file = file.map(DataFile.init)
        _ = try self.file?.read()
    }

    func value(_ key: String) throws -> String? {
        guard let file else { return memory[key] }
        return try file.read()?[key]
    }

    func set(_ key: String, _ value: String) throws {
        guard let file else {
            memory[key] = value
            return
        }
        var values = try file.read() ?? [:]
        values[key] = value
        try file.write(values)
    }
}
