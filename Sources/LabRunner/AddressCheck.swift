import Foundation
import LabKit
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The I/O half of the address guard: resolves a URL's host and asks ``AddressGuard`` about every
/// address it resolves to, before each request and each redirect hop. The address it checked is
/// the one the request connects to (see ``HTTPTransport``): resolving the name again to connect
/// would let a DNS server answer a public address to the check and a private one to the
/// connection (DNS rebinding).
public enum AddressCheck {
    /// Where a request may connect: to the URL's host as written (an IP address or a local name,
    /// judged without DNS), or to the checked address a name resolved to.
    struct Route: Sendable, Equatable {
        /// The URL's host as the HTTP client reads it.
        let host: String
        /// The address to connect to instead of resolving `host` again; nil when `host` needs no DNS.
        let pinned: String?
    }

    /// The route for `url`, or why it may not be called.
    static func route(for url: String, mode: AddressGuard.Mode, resolver: HostResolver) async -> Result<Route, TransportError> {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
            ["http", "https"].contains(components.scheme?.lowercased() ?? "")
        else {
            return .failure(
                TransportError(
                    kind: .other, message: "'\(url)' is not an http:// or https:// URL",
                    hint: "give the target as http://HOST:PORT, e.g. http://127.0.0.1:3000"))
        }
        let decision: AddressGuard.Decision
        var pinned: String?
        if AddressGuard.classify(host) != nil {
            decision = AddressGuard.decide(host, mode: mode)
        } else {
            let addresses = await resolver.addresses(host)
            if addresses.isEmpty {
                return .failure(
                    TransportError(
                        kind: .hostNotFound, message: "the host name '\(host)' could not be resolved",
                        hint: "check the spelling of the target URL; for a server on this machine use 127.0.0.1"))
            }
            decision = AddressGuard.decide(host: host, resolved: addresses, mode: mode)
            pinned = addresses.first
        }
        if case .refused(let reason) = decision {
            return .failure(TransportError(kind: .addressRefused, message: "not sent: \(reason)", hint: "nothing was sent to \(host)"))
        }
        return .success(Route(host: URL(string: url)?.host ?? host, pinned: pinned))
    }

    /// Every address `host` resolves to, as text; empty when it does not resolve. The lookup
    /// blocks, so it runs on NIO's thread pool, never on the event loops that run tasks.
    public static func addresses(of host: String) async -> [String] {
        await HostResolver.system.addresses(host)
    }

    static func resolve(_ host: String) -> [String] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ai_next }) {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
        }
        return addresses
    }
}

/// How a lab run turns a host name into addresses: the system's resolver, or in tests one that
/// answers what the test needs (a name that resolves differently each time, without a real DNS).
public struct HostResolver: Sendable {
    /// Every address `host` resolves to, as text; empty when it does not resolve.
    public let addresses: @Sendable (String) async -> [String]

    public init(_ addresses: @escaping @Sendable (String) async -> [String]) {
        self.addresses = addresses
    }

    /// `getaddrinfo`, which blocks, so it runs on NIO's thread pool, never on the event loops that run tasks.
    public static let system = HostResolver { host in
        (try? await NIOThreadPool.singleton.runIfActive { AddressCheck.resolve(host) }) ?? []
    }
}
