import Foundation
import Hummingbird
import LabKit
import LabRunner
import Synchronization
import Testing

/// A name is judged by the address it resolves to, and the request then goes to that very
/// address: a resolver that answers differently the second time (DNS rebinding) can neither
/// redirect a checked request nor slip a refused address past the guard. The resolver here is
/// the test's own; the only server is on 127.0.0.1.
@Suite("Address pinning against DNS rebinding")
struct AddressPinningTests {
    /// A resolver that answers `answers` in turn (the last one from then on) and counts the questions.
    final class Rebinding: Sendable {
        private let state: Mutex<(asked: [String], answers: [[String]])>

        init(_ answers: [[String]]) {
            state = Mutex((asked: [], answers: answers))
        }

        var asked: [String] { state.withLock { $0.asked } }

        var resolver: HostResolver {
            HostResolver { host in
                self.state.withLock { state in
                    state.asked.append(host)
                    return state.answers.count > 1 ? state.answers.removeFirst() : state.answers[0]
                }
            }
        }
    }

    static let twoRequests = """
              - name: first
                timeout_ms: 5000
                request: {method: GET, path: /first}
                expect: {status: 200}
              - name: second
                timeout_ms: 5000
                request: {method: GET, path: /second}
                expect: {status: 200}
        """

    @Test("a name is connected to at the checked address, keeps its Host header, and is checked again before the next request")
    func pinned() async throws {
        // setup: the name exists only in the test's resolver, which answers the server's loopback
        // address first and the cloud metadata address afterwards
        let hosts = Mutex<[String]>([])
        let router = Router()
        router.get("/first") { request, _ in
            hosts.withLock { $0.append(request.head.authority ?? "") }
            return "ok"
        }
        router.get("/second") { _, _ in "should never be reached" }
        let rebinding = Rebinding([["127.0.0.1"], ["169.254.169.254"]])
        // MUT
        let (verdict, port) = try await LocalServer.serve(router) { url in
            let target = URL(string: "http://pinned.invalid:\(url.port!)")!
            let verdict = await LabRunner(options: RunOptions(target: target, resolver: rebinding.resolver)).run(try TestLab.stage(Self.twoRequests))
            return (verdict, url.port!)
        }
        // validate
        let steps = try #require(verdict.stages.first?.steps)
        #expect(steps[0].outcome == .passed, "the first request reached the address that was checked: \(steps[0].failures)")
        #expect(hosts.withLock { $0 } == ["pinned.invalid:\(port)"])
        #expect(steps[1].outcome == .failed)
        #expect(steps[1].exchange?.transportError?.kind == .addressRefused)
        #expect(steps[1].failures.first?.contains("'pinned.invalid' resolves to 169.254.169.254") == true)
        #expect(rebinding.asked == ["pinned.invalid", "pinned.invalid"], "one lookup per request, none by the HTTP client")
    }

    @Test("a name with one allowed and one refused address is refused in team mode before anything is sent")
    func mixedAnswers() async throws {
        // setup
        let rebinding = Rebinding([["93.184.216.34", "10.0.0.7"]])
        let target = URL(string: "http://mixed.invalid:8080")!
        // MUT
        let verdict = await LabRunner(options: RunOptions(target: target, mode: .team, resolver: rebinding.resolver)).run(
            try TestLab.stage(Self.twoRequests))
        // validate
        let step = try #require(verdict.stages.first?.steps.first)
        #expect(step.exchange?.transportError?.kind == .addressRefused)
        #expect(step.failures.first?.contains("'mixed.invalid' resolves to 10.0.0.7: 10.0.0.7 is a private address") == true)
    }
}
