import LabRunner
import Testing

/// The address guard's decisions, as data: no test here opens a connection.
@Suite("Address guard")
struct AddressGuardTests {
    /// (address, class, allowed in personal mode, allowed in team mode)
    static let cases: [(String, AddressGuard.AddressClass, Bool, Bool)] = [
        ("127.0.0.1", .loopback, true, false),
        ("127.8.9.10", .loopback, true, false),
        ("localhost", .loopback, true, false),
        ("api.localhost", .loopback, true, false),
        ("::1", .loopback, true, false),
        ("[::1]", .loopback, true, false),
        ("::ffff:127.0.0.1", .loopback, true, false),
        ("10.1.2.3", .privateNetwork, true, false),
        ("172.16.0.1", .privateNetwork, true, false),
        ("172.31.255.255", .privateNetwork, true, false),
        ("192.168.1.20", .privateNetwork, true, false),
        ("100.64.0.1", .privateNetwork, true, false),
        ("fd12:3456::1", .privateNetwork, true, false),
        ("169.254.10.10", .linkLocal, true, false),
        ("fe80::1", .linkLocal, true, false),
        ("169.254.169.254", .cloudMetadata, false, false),
        ("::ffff:169.254.169.254", .cloudMetadata, false, false),
        ("fd00:ec2::254", .cloudMetadata, false, false),
        ("100.100.100.200", .cloudMetadata, false, false),
        ("metadata.google.internal", .cloudMetadata, false, false),
        ("0.0.0.0", .unspecified, false, false),
        ("::", .unspecified, false, false),
        ("224.0.0.1", .multicast, false, false),
        ("ff02::1", .multicast, false, false),
        ("255.255.255.255", .reserved, false, false),
        ("192.0.2.10", .reserved, false, false),
        ("172.32.0.1", .publicUnicast, true, true),
        ("93.184.216.34", .publicUnicast, true, true),
        ("2606:4700:4700::1111", .publicUnicast, true, true),
        ("64:ff9b::10.0.0.1", .privateNetwork, true, false),
        // the edges of each range
        ("100.63.255.255", .publicUnicast, true, true),
        ("100.127.255.255", .privateNetwork, true, false),
        ("100.128.0.0", .publicUnicast, true, true),
        ("192.0.0.192", .cloudMetadata, false, false),
        ("192.0.0.8", .reserved, false, false),
        ("192.0.1.1", .publicUnicast, true, true),
        ("metadata.goog", .cloudMetadata, false, false),
        ("METADATA.GOOG.", .cloudMetadata, false, false),
        ("metadata.google.internal.", .cloudMetadata, false, false),
        ("localhost.", .loopback, true, false),
        ("2001:db8::1", .reserved, false, false),
        ("2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff", .reserved, false, false),
        ("2001:db9::1", .publicUnicast, true, true),
    ]

    @Test("each kind of address gets the decision its mode calls for", arguments: cases)
    func decisions(address: String, kind: AddressGuard.AddressClass, personal: Bool, team: Bool) {
        // MUT
        let classified = AddressGuard.classify(address)
        let personalDecision = AddressGuard.decide(address, mode: .personal)
        let teamDecision = AddressGuard.decide(address, mode: .team)
        // validate
        #expect(classified == kind)
        #expect((personalDecision == .allowed) == personal)
        #expect((teamDecision == .allowed) == team)
    }

    @Test("a refusal in team mode says what to do instead")
    func teamMessage() {
        // MUT
        let decision = AddressGuard.decide("127.0.0.1", mode: .team)
        // validate
        guard case .refused(let reason) = decision else {
            Issue.record("loopback was allowed in team mode")
            return
        }
        #expect(reason.contains("loopback"))
        #expect(reason.contains("groundwork check LAB --target URL --upload"))
    }

    @Test(
        "text that is not an IP address is left to DNS, never guessed",
        arguments: ["example.org", "0177.0.0.1", "127.1", "1.2.3.4.5", "12::34::56", "::gggg"])
    func namesNeedResolution(host: String) {
        // MUT / validate
        #expect(AddressGuard.classify(host) == nil)
        #expect(AddressGuard.decide(host, mode: .personal) != .allowed)
    }

    @Test("a name is refused if any address it resolves to is refused")
    func resolvedNames() {
        // MUT
        let mixed = AddressGuard.decide(host: "sneaky.example", resolved: ["93.184.216.34", "10.0.0.1"], mode: .team)
        let publicOnly = AddressGuard.decide(host: "fine.example", resolved: ["93.184.216.34", "2606:4700:4700::1111"], mode: .team)
        let nothing = AddressGuard.decide(host: "void.example", resolved: [], mode: .personal)
        let loopbackName = AddressGuard.decide(host: "localhost", resolved: ["93.184.216.34"], mode: .team)
        let toMetadata = AddressGuard.decide(host: "innocent.example", resolved: ["::ffff:169.254.169.254"], mode: .personal)
        let zoned = AddressGuard.decide(host: "printer.example", resolved: ["fe80::1%eth0"], mode: .team)
        // validate
        #expect(
            mixed
                == .refused(
                    "'sneaky.example' resolves to 10.0.0.1: 10.0.0.1 is a private address: a team server does not call its own machine or network. Run `groundwork check LAB --target URL --upload` on your own machine instead"
                ))
        #expect(publicOnly == .allowed)
        #expect(nothing != .allowed)
        #expect(loopbackName != .allowed)
        #expect(
            toMetadata
                == .refused(
                    "'innocent.example' resolves to ::ffff:169.254.169.254: ::ffff:169.254.169.254 is a cloud metadata endpoint, which holds the server's credentials; labs never call it"
                ))
        #expect(zoned != .allowed, "a link-local address with a zone, as getaddrinfo prints it, is still link-local")
    }
}
