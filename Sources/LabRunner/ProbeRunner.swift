import Foundation
import LabKit

/// Runs the built-in probes: what one request cannot show (races, caches, callbacks, limits).
struct ProbeRunner: Sendable {
    let checks: RequestCheckRunner
    let timeoutMS: Int
    let restart: (@Sendable () async throws -> String)?

    func run(_ probe: Probe, name: String, bindings: Bindings) async -> StepVerdict {
        let expected = [bindings.fill(probe.summary)]
        switch probe {
        case .concurrent(let count, let check, let distinct):
            return await concurrent(
                count: count, check: check, distinct: distinct, bindings: bindings,
                verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        case .latency(let check, let count, let ratio):
            return await latency(
                check: check, count: count, maxRatio: ratio, bindings: bindings,
                verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        case .webhook(let trigger, let call, let within):
            return await webhook(
                trigger: trigger, call: call, withinMS: within, bindings: bindings,
                verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        case .burst(let request, let maxRequests, let retryAfter):
            return await burst(
                request: request, maxRequests: maxRequests, retryAfter: retryAfter, bindings: bindings,
                verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        case .restart:
            return await restart(verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        case .instances(let check, let header, let requests, let atLeast):
            return await instances(
                check: check, header: header, requests: requests, atLeast: atLeast, bindings: bindings,
                verdict: StepVerdict(name: name, outcome: .passed, expected: expected))
        }
    }

    // MARK: concurrent

    private func concurrent(count: Int, check: RequestCheck, distinct: JSONPath?, bindings: Bindings, verdict: StepVerdict) async -> StepVerdict {
        let results = await withTaskGroup(of: (Int, RequestCheckRunner.Result).self) { group in
            for index in 1...count {
                group.addTask {
                    (index, await checks.run(check, bindings: bindings.adding(["i": .number(Double(index))]), timeoutMS: timeoutMS))
                }
            }
            var collected: [(Int, RequestCheckRunner.Result)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        if let (index, failed) = results.first(where: { !$0.1.passed }) {
            let failedCount = results.filter { !$0.1.passed }.count
            return failing(
                verdict,
                failed.failures.map { "request \(index) of \(count) sent at once: \($0)" }
                    + (failedCount > 1 ? ["\(failedCount) of the \(count) requests failed"] : []), failed.exchange)
        }
        guard let distinct else { return passing(verdict, "\(count) requests at once, every answer as expected") }
        var firstIndexOfValue: [String: Int] = [:]
        for (index, result) in results {
            guard let value = result.answer?.json.flatMap(distinct.value(in:)) else {
                return failing(
                    verdict, ["request \(index) of \(count): \(distinct) is not in the answer, so answers cannot be told apart"], result.exchange)
            }
            if let first = firstIndexOfValue[value.jsonText] {
                return failing(
                    verdict,
                    [
                        "requests \(first) and \(index), sent at once, both got \(distinct) = \(value): "
                            + "each must get its own (is a counter read and written in two steps without a lock?)"
                    ], result.exchange)
            }
            firstIndexOfValue[value.jsonText] = index
        }
        return passing(verdict, "\(count) requests at once, \(count) different values of \(distinct)")
    }

    // MARK: latency

    private func latency(check: RequestCheck, count: Int, maxRatio: Double, bindings: Bindings, verdict: StepVerdict) async -> StepVerdict {
        var times: [Int] = []
        var last: RequestCheckRunner.Result?
        for attempt in 1...count {
            let result = await checks.run(check, bindings: bindings, timeoutMS: timeoutMS)
            guard result.passed, let answer = result.answer else {
                return failing(verdict, result.failures.map { "request \(attempt) of \(count): \($0)" }, result.exchange)
            }
            times.append(answer.elapsedMS)
            last = result
        }
        let first = times[0]
        let rest = times.dropFirst().sorted()
        let median = rest[rest.count / 2]
        let allowed = Double(first) * maxRatio
        let observed = "the first answer took \(first) ms, the median of the next \(rest.count) took \(median) ms"
        guard Double(median) <= allowed else {
            return failing(
                verdict,
                [
                    "\(observed); expected at most \(JSONValue.format(allowed.rounded())) ms "
                        + "(\(JSONValue.format(maxRatio * 100))% of the first): is the result kept and reused after the first request?"
                ],
                last?.exchange)
        }
        return passing(verdict, observed)
    }

    // MARK: webhook

    private func webhook(trigger: RequestCheck, call: WebhookCall, withinMS: Int, bindings: Bindings, verdict: StepVerdict) async -> StepVerdict {
        do {
            return try await WebhookReceiver.with { receiver in
                let token = String(checks.seed, radix: 36)
                let url = "http://127.0.0.1:\(receiver.port)/hooks/\(token)"
                let result = await checks.run(trigger, bindings: bindings.adding(["webhook_url": .string(url)]), timeoutMS: timeoutMS)
                guard result.passed else { return failing(verdict, result.failures, result.exchange) }
                guard let received = await receiver.firstCall(within: withinMS) else {
                    return failing(
                        verdict,
                        [
                            "no call to \(url) arrived within \(withinMS) ms after the request "
                                + "(is the callback sent, and sent to the URL given in the request?)"
                        ], result.exchange)
                }
                var failures: [String] = []
                if let method = call.method, received.method != method {
                    failures.append("the call used \(received.method), expected \(method)")
                }
                failures += call.expectation.mismatches(in: received.message, bindings: bindings.adding(["webhook_url": .string(url)]))
                if let problem = call.signature?.problem(in: received.message, bindings: bindings) { failures.append(problem) }
                let seen =
                    "your server called \(received.method) \(received.path) with \(received.message.body.count) bytes: \"\(received.message.text.prefix(200))\""
                guard failures.isEmpty else { return failing(verdict, failures.map { "webhook call: \($0)" } + [seen], result.exchange) }
                return passing(verdict, seen)
            }
        } catch {
            return failing(verdict, ["the webhook receiver could not start: \(error)"], nil)
        }
    }

    // MARK: burst

    private func burst(request spec: RequestSpec, maxRequests: Int, retryAfter: Bool, bindings: Bindings, verdict: StepVerdict) async -> StepVerdict {
        let check = RequestCheck(request: spec, expectation: Expectation())
        let clock = ContinuousClock()
        let start = clock.now
        var last: RequestCheckRunner.Result?
        for attempt in 1...maxRequests {
            let result = await checks.run(check, bindings: bindings, timeoutMS: timeoutMS)
            last = result
            guard let answer = result.answer else {
                return failing(verdict, ["request \(attempt) of the burst: \(result.failures.joined(separator: "; "))"], result.exchange)
            }
            guard answer.status == 429 else { continue }
            if retryAfter, answer.header("retry-after") == nil {
                return failing(
                    verdict, ["request \(attempt) was answered 429 without a Retry-After header: say when the client may try again"], result.exchange)
            }
            return passing(verdict, "answered 429 after \(attempt) requests" + (answer.header("retry-after").map { " (Retry-After: \($0))" } ?? ""))
        }
        let elapsed = start.duration(to: clock.now).milliseconds
        return failing(
            verdict,
            ["\(maxRequests) requests in \(elapsed) ms and none was answered 429 Too Many Requests: is the limit counted per client and enforced?"],
            last?.exchange)
    }

    // MARK: restart

    private func restart(verdict: StepVerdict) async -> StepVerdict {
        guard let restart else { return failing(verdict, [LabRunner.restartNeedsRun], nil) }
        do {
            return passing(verdict, try await restart())
        } catch {
            return failing(verdict, ["\(error)"], nil)
        }
    }

    // MARK: instances

    private func instances(check: RequestCheck, header: String, requests: Int, atLeast: Int, bindings: Bindings, verdict: StepVerdict) async
        -> StepVerdict
    {
        var counts: [(value: String, answers: Int)] = []
        var last: RequestCheckRunner.Result?
        for attempt in 1...requests {
            let result = await checks.run(check, bindings: bindings, timeoutMS: timeoutMS)
            last = result
            guard result.passed, let answer = result.answer else {
                return failing(verdict, result.failures.map { "request \(attempt) of \(requests): \($0)" }, result.exchange)
            }
            guard let value = answer.header(header) else {
                return failing(
                    verdict,
                    [
                        "request \(attempt) of \(requests): the answer has no \(header) header, so the instance that answered is unknown "
                            + "(every instance of your server must send it, with its own value)"
                    ], result.exchange)
            }
            if let index = counts.firstIndex(where: { $0.value == value }) {
                counts[index].answers += 1
            } else {
                counts.append((value, 1))
            }
        }
        let seen = counts.map { "\($0.value) ×\($0.answers)" }.joined(separator: ", ")
        guard counts.count >= atLeast else {
            return failing(
                verdict,
                [
                    "\(requests) answers came from \(counts.count) instance\(counts.count == 1 ? "" : "s") (\(header): \(seen)); expected at least \(atLeast): "
                        + "does the proxy spread requests over every instance (not ip_hash or sticky sessions), and does each instance have its own id?"
                ],
                last?.exchange)
        }
        return passing(verdict, "\(counts.count) different \(header) values in \(requests) answers: \(seen)")
    }

    // MARK: verdicts

    private func passing(_ verdict: StepVerdict, _ note: String) -> StepVerdict {
        var verdict = verdict
        verdict.notes.append(note)
        return verdict
    }

    private func failing(_ verdict: StepVerdict, _ failures: [String], _ exchange: Exchange?) -> StepVerdict {
        var verdict = verdict
        verdict.outcome = .failed
        verdict.failures = failures
        verdict.exchange = exchange
        return verdict
    }
}
