import Foundation
import LabKit
import NIOPosix
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The I/O half of the address guard: resolves a URL's host and asks ``AddressGuard`` about every
/// address it resolves to, before each request and each redirect hop.
public enum AddressCheck {
    /// `nil` when the URL may be called; otherwise why not.
    static func refusal(for url: String, mode: AddressGuard.Mode) async -> TransportError? {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty,
              ["http", "https"].contains(components.scheme?.lowercased() ?? "") else {
            return TransportError(kind: .other, message: "'\(url)' is not an http:// or https:// URL",
                                  hint: "give the target as http://HOST:PORT, e.g. http://127.0.0.1:3000")
        }
        let decision: AddressGuard.Decision
        if AddressGuard.classify(host) != nil {
            decision = AddressGuard.decide(host, mode: mode)
        } else {
            let addresses = await addresses(of: host)
            if addresses.isEmpty {
                return TransportError(kind: .hostNotFound, message: "the host name '\(host)' could not be resolved",
                                      hint: "check the spelling of the target URL; for a server on this machine use 127.0.0.1")
            }
            decision = AddressGuard.decide(host: host, resolved: addresses, mode: mode)
        }
        if case .refused(let reason) = decision {
            return TransportError(kind: .addressRefused, message: "not sent: \(reason)", hint: "nothing was sent to \(host)")
        }
        return nil
    }

    /// Every address `host` resolves to, as text; empty when it does not resolve. The lookup
    /// blocks, so it runs on NIO's thread pool, never on the event loops that run tasks.
    public static func addresses(of host: String) async -> [String] {
        (try? await NIOThreadPool.singleton.runIfActive { resolve(host) }) ?? []
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
