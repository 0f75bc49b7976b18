import Foundation

/// Decides which addresses a lab run may call, so a Groundwork server cannot be turned against its
/// own machine or network (SSRF). Pure: it judges address text and never opens a connection, so
/// every rule is tested as data.
///
/// - personal mode: the learner's server runs beside Groundwork, so loopback and private networks
///   are allowed; cloud metadata endpoints and non-unicast addresses never are.
/// - team mode: only public unicast addresses; learners check local servers with
///   `groundwork check … --upload` instead.
public enum AddressGuard {
    /// Where Groundwork runs: on the learner's machine (personal) or as a shared server (team).
    public enum Mode: String, Sendable, CaseIterable {
        case personal, team
    }

    /// What kind of address a host is.
    public enum AddressClass: String, Sendable, Equatable {
        case publicUnicast = "public"
        case loopback
        case privateNetwork = "private"
        case linkLocal = "link-local"
        case cloudMetadata = "cloud-metadata"
        case unspecified
        case multicast
        case reserved
    }

    /// Whether a lab run may call an address, and if not, why — phrased for the learner.
    public enum Decision: Sendable, Equatable {
        case allowed
        case refused(String)
    }

    /// The decision for one address (an IP literal) or a host name that needs no DNS (`localhost`).
    /// A host name that must be resolved first is refused here; resolve it and judge each address.
    public static func decide(_ host: String, mode: Mode) -> Decision {
        guard let kind = classify(host) else {
            return .refused("'\(host)' is neither an IP address nor a known local name: resolve it first")
        }
        return decide(host, kind: kind, mode: mode)
    }

    /// The decision for a host name and every address it resolved to: all must be allowed
    /// (a name with one public and one private address would otherwise be a way in).
    public static func decide(host: String, resolved addresses: [String], mode: Mode) -> Decision {
        if let kind = classify(host) { return decide(host, kind: kind, mode: mode) }
        if addresses.isEmpty { return .refused("'\(host)' did not resolve to any address") }
        for address in addresses {
            if case .refused(let reason) = decide(address, mode: mode) {
                return .refused("'\(host)' resolves to \(address): " + reason)
            }
        }
        return .allowed
    }

    private static func decide(_ host: String, kind: AddressClass, mode: Mode) -> Decision {
        switch (kind, mode) {
        case (.publicUnicast, _), (.loopback, .personal), (.privateNetwork, .personal), (.linkLocal, .personal):
            return .allowed
        case (.cloudMetadata, _):
            return .refused("\(host) is a cloud metadata endpoint, which holds the server's credentials; labs never call it")
        case (.unspecified, _), (.multicast, _), (.reserved, _):
            return .refused("\(host) is a \(kind.rawValue) address, not a server a lab can call")
        case (.loopback, .team), (.privateNetwork, .team), (.linkLocal, .team):
            return .refused(
                "\(host) is a \(kind.rawValue) address: a team server does not call its own machine or network. "
                    + "Run `groundwork check LAB --target URL --upload` on your own machine instead")
        }
    }

    /// The class of an IP literal or a well-known name; `nil` for a name that needs DNS.
    public static func classify(_ host: String) -> AddressClass? {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        // A name may end in the root's dot ("localhost."): the same name to every resolver.
        let name = host.hasSuffix(".") ? String(host.dropLast()) : host
        if name == "localhost" || name.hasSuffix(".localhost") { return .loopback }
        if ["metadata.google.internal", "metadata.goog", "metadata"].contains(name) { return .cloudMetadata }
        if let bytes = IPAddress.v4(host) { return classifyV4(bytes) }
        if let bytes = IPAddress.v6(host) { return classifyV6(bytes) }
        return nil
    }

    static func classifyV4(_ b: [UInt8]) -> AddressClass {
        switch (b[0], b[1], b[2], b[3]) {
        case (169, 254, 169, 254), (100, 100, 100, 200), (192, 0, 0, 192): return .cloudMetadata
        case (0, _, _, _): return .unspecified
        case (127, _, _, _): return .loopback
        case (10, _, _, _), (192, 168, _, _): return .privateNetwork
        case (172, _, _, _) where (16...31).contains(b[1]): return .privateNetwork
        case (100, _, _, _) where (64...127).contains(b[1]): return .privateNetwork
        case (169, 254, _, _): return .linkLocal
        case (224...239, _, _, _): return .multicast
        case (240...255, _, _, _): return .reserved
        case (192, 0, 0, _), (192, 0, 2, _), (198, 51, 100, _), (203, 0, 113, _): return .reserved
        case (198, _, _, _) where (18...19).contains(b[1]): return .reserved
        default: return .publicUnicast
        }
    }

    static func classifyV6(_ b: [UInt8]) -> AddressClass {
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        let nat64Prefix: [UInt8] = [0x00, 0x64, 0xff, 0x9b] + Array(repeating: 0, count: 8)
        if Array(b.prefix(12)) == mappedPrefix || Array(b.prefix(12)) == nat64Prefix { return classifyV4(Array(b.suffix(4))) }
        if b == [0xfd, 0x00, 0x0e, 0xc2] + Array(repeating: 0, count: 10) + [0x02, 0x54] { return .cloudMetadata }
        if b.allSatisfy({ $0 == 0 }) { return .unspecified }
        if b.dropLast().allSatisfy({ $0 == 0 }) && b[15] == 1 { return .loopback }
        if b[0] == 0xff { return .multicast }
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return .linkLocal }
        if b[0] & 0xfe == 0xfc { return .privateNetwork }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8 { return .reserved }
        if b[0] & 0xe0 != 0x20 { return .reserved }
        return .publicUnicast
    }
}

/// Parses IP address text into bytes without touching the network.
enum IPAddress {
    /// `a.b.c.d` with four decimal parts 0…255 (no leading-zero octal tricks).
    static func v4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                part == "0" || !part.hasPrefix("0"), let value = UInt8(part)
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    /// RFC 4291 text: hex groups, one `::`, an optional trailing dotted IPv4, an optional `%zone`.
    static func v6(_ text: String) -> [UInt8]? {
        let address = text.split(separator: "%", maxSplits: 1).first.map(String.init) ?? text
        guard address.contains(":") else { return nil }
        let halves = address.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains("."), let v4 = v4(String(piece)) {
                    bytes += v4
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
                }
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count < 16 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }
}
