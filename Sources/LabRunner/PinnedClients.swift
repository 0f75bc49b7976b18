import AsyncHTTPClient
import Synchronization

/// The HTTP clients of one run, one per checked address: a request to a name connects to the
/// address ``AddressCheck`` resolved and judged, through AsyncHTTPClient's `dnsOverride` (which
/// keeps the name in the `Host` header and for TLS), instead of letting the client resolve the
/// name again — a second answer could point somewhere the guard never saw (DNS rebinding).
/// Requests to an IP address or a local name share one client without an override.
final class PinnedClients: Sendable {
    private let clients = Mutex<[String: HTTPClient]>([:])

    /// The client that connects `route.host` to `route.pinned` (made on first use, kept for the
    /// run so its connections are reused).
    func client(for route: AddressCheck.Route) -> HTTPClient {
        let key = route.pinned.map { "\(route.host) \($0)" } ?? ""
        return clients.withLock { clients in
            if let client = clients[key] { return client }
            let client = Self.makeClient(dnsOverride: route.pinned.map { [route.host: $0] } ?? [:])
            clients[key] = client
            return client
        }
    }

    func shutdown() async {
        for client in clients.withLock({ $0.values }) { try? await client.shutdown() }
    }

    private static func makeClient(dnsOverride: [String: String]) -> HTTPClient {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.httpVersion = .http1Only
        configuration.timeout = .init(connect: .seconds(5))
        configuration.dnsOverride = dnsOverride
        // A refused connection is an answer worth reporting at once, not something to retry until the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
