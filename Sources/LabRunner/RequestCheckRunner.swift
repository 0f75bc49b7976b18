import Foundation
import LabKit

/// Sends one ``RequestCheck`` and judges the answer; shared by plain steps and by the probes,
/// which send many.
struct RequestCheckRunner: Sendable {
    let transport: HTTPTransport
    let target: URL
    let seed: UInt64
    /// Whom the requests stand in for: set per step (see ``Step/client``).
    var client: LabClient = .api

    /// How much of a body a failure report shows.
    static let shownBodyCharacters = 2000

    /// One request and its judgement.
    struct Result: Sendable {
        let request: PreparedRequest?
        let answer: MessageSnapshot?
        let transportError: TransportError?
        /// Everything that did not meet the expectation; empty when the check passed.
        let failures: [String]
        let captured: [String: JSONValue]

        var passed: Bool { failures.isEmpty }

        /// The exchange to show for a failure (nothing when the request could not even be built).
        var exchange: Exchange? {
            request.map { Exchange(request: $0.recorded, response: answer.map(RecordedResponse.init), transportError: transportError) }
        }
    }

    func run(_ check: RequestCheck, bindings: Bindings, timeoutMS: Int) async -> Result {
        let request: PreparedRequest
        do {
            request = try PreparedRequest(check.request, target: target, bindings: bindings, seed: seed, client: client)
        } catch {
            return Result(request: nil, answer: nil, transportError: nil, failures: ["not sent: \(error)"], captured: [:])
        }
        switch await transport.send(request, timeoutMS: timeoutMS) {
        case .failure(let error):
            return Result(request: request, answer: nil, transportError: error, failures: [error.message], captured: [:])
        case .success(let answer):
            var failures = check.expectation.mismatches(in: answer, bindings: bindings)
            var captured: [String: JSONValue] = [:]
            for capture in check.captures {
                switch capture.value(from: answer) {
                case .success(let value): captured[capture.name] = value
                case .failure(let problem): failures.append(problem.description)
                }
            }
            return Result(request: request, answer: answer, transportError: nil, failures: failures, captured: captured)
        }
    }

    /// Sends `check` once — or, with `pollMS`, again every ``Step/pollIntervalMS`` until it passes,
    /// the server cannot be reached, or `pollMS` have passed. Returns the last result, with a note
    /// on how the polling went.
    func run(_ check: RequestCheck, bindings: Bindings, timeoutMS: Int, pollingFor pollMS: Int?) async -> (result: Result, notes: [String]) {
        guard let pollMS else { return (await run(check, bindings: bindings, timeoutMS: timeoutMS), []) }
        let clock = ContinuousClock()
        let start = clock.now
        var requests = 0
        while true {
            let result = await run(check, bindings: bindings, timeoutMS: timeoutMS)
            requests += 1
            let took = start.duration(to: clock.now).milliseconds
            if result.passed {
                return (result, requests > 1 ? ["as expected after \(requests) requests (\(took) ms)"] : [])
            }
            if result.transportError != nil { return (result, []) }
            if took + Step.pollIntervalMS > pollMS {
                return (result, ["still not as expected after \(requests) requests over \(took) ms; the failures are those of the last answer"])
            }
            try? await Task.sleep(for: .milliseconds(Step.pollIntervalMS))
        }
    }
}

extension RecordedResponse {
    /// The answer as a report shows it: headers in order, the body cut to a readable size.
    init(_ snapshot: MessageSnapshot) {
        let text = String(decoding: snapshot.body, as: UTF8.self)
        let cut = text.count > RequestCheckRunner.shownBodyCharacters
        self.init(
            status: snapshot.status ?? 0, headers: snapshot.headers.map { Header(name: $0.name, value: $0.value) },
            body: cut ? String(text.prefix(RequestCheckRunner.shownBodyCharacters)) : text,
            bodyBytes: snapshot.body.count, truncated: cut || snapshot.body.count >= HTTPTransport.bodyLimit,
            elapsedMS: snapshot.elapsedMS)
    }
}
