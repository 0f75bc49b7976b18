import Foundation
import LabKit
import Synchronization

/// How the learner's program ended after SIGTERM (see ``RunOptions/terminate``).
public struct ProgramTermination: Sendable {
    /// True when every process it started had ended within the time allowed.
    public let exitedInTime: Bool
    /// How the shell that started it ended; `nil` if unknown.
    public let status: ExitStatus?
    public let elapsed: Duration

    public init(exitedInTime: Bool, status: ExitStatus?, elapsed: Duration) {
        self.exitedInTime = exitedInTime
        self.status = status
        self.elapsed = elapsed
    }
}

/// A graceful shutdown, as a container platform asks for one: a slow request is sent, SIGTERM
/// reaches the program while the request is in flight, and the program must answer that request
/// and then exit within the time a platform waits before it kills (Docker waits 10 s).
struct GracefulShutdownCheck: Sendable {
    let checks: RequestCheckRunner
    let terminate: (@Sendable (Duration) async -> ProgramTermination)?
    let target: URL

    func run(_ inspection: Inspection, bindings: Bindings) async -> (InspectionFinding, Exchange?) {
        let path = inspection.text("path", bindings)
        let signalAfter = inspection.number("signal_after_ms", fallback: 500)
        let within = inspection.number("exit_within_ms", fallback: 10_000)
        var finding = InspectionFinding(
            reproduce: "curl -s \(target.absoluteString)\(path) & sleep \(Double(signalAfter) / 1000); kill -TERM <your server's pid>; wait")
        guard let terminate else {
            finding.failures.append("this check stops your program: run with --run \"COMMAND\" --port PORT")
            return (finding, nil)
        }
        guard let template = try? Template(path) else {
            finding.failures.append("'\(path)' is not a path")
            return (finding, nil)
        }
        let check = RequestCheck(request: RequestSpec(method: "GET", path: template), expectation: Expectation(status: .classOf(2)))
        let answered = AnsweredFlag()
        let clock = ContinuousClock()
        let start = clock.now
        let request = Task {
            let result = await checks.run(check, bindings: bindings, timeoutMS: within + 5_000)
            answered.value.store(true, ordering: .releasing)
            return (result, start.duration(to: clock.now))
        }
        try? await Task.sleep(for: .milliseconds(signalAfter))
        let answeredBeforeSignal = answered.value.load(ordering: .acquiring)
        finding.transcript.append("GET \(path) sent; SIGTERM sent to your program \(start.duration(to: clock.now).milliseconds) ms later")
        let termination = await terminate(.milliseconds(within))
        let (result, took) = await request.value
        finding.transcript.append(
            "your program \(termination.status?.description ?? "ended") \(termination.elapsed.milliseconds) ms after SIGTERM"
                + (termination.exitedInTime ? "" : " (it was killed: it had not ended in time)"))
        finding.transcript.append(
            result.transportError.map { "GET \(path): no answer (\($0.message))" }
                ?? "GET \(path): answered \(result.answer?.status.map(String.init) ?? "?") after \(took.milliseconds) ms")
        if answeredBeforeSignal {
            finding.failures.append(
                "GET \(path) was answered within \(signalAfter) ms, before the signal: the request was not in flight; make \(path) take "
                    + "about 2 seconds, so the check can stop your server while it answers")
        } else if !result.passed {
            finding.failures.append(
                "the request in flight when SIGTERM arrived was not answered (\(result.failures.joined(separator: "; "))): on SIGTERM stop "
                    + "accepting new connections, finish the requests in progress, then exit")
        }
        if !termination.exitedInTime {
            finding.failures.append(
                "your program had not exited \(within / 1000) s after SIGTERM and was killed: handle SIGTERM (and check that it reaches "
                    + "your server: an exec-form CMD, or docker run --init)")
        } else {
            finding.notes.append("exited \(termination.elapsed.milliseconds) ms after SIGTERM; the request in flight was answered")
        }
        return (finding, result.passed ? nil : result.exchange)
    }
}

/// Set once the slow request has its answer, to tell whether it was still in flight at the signal.
private final class AnsweredFlag: Sendable {
    let value = Atomic<Bool>(false)
}
