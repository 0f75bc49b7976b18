import Foundation
import LabKit

/// The learner's test suite as the api-testing lab runs it (`--tests "COMMAND"`): the command,
/// its limits, and the report files it writes.
public struct TestSuiteCommand: Sendable {
    public let command: String
    /// How long one run of the suite may take.
    public let timeout: Duration
    /// Where the suite writes a JUnit XML report, when it does (`--junit FILE`).
    public let junitReport: URL?
    /// Where it writes a coverage report — JaCoCo XML, Cobertura XML or lcov (`--coverage FILE`).
    public let coverageReport: URL?

    /// How much of the suite's output is kept (what it prints beyond is cut, and the run stopped).
    public static let outputLimit = 1_048_576

    public init(command: String, timeout: Duration = .seconds(120), junitReport: URL? = nil, coverageReport: URL? = nil) {
        self.command = command
        self.timeout = timeout
        self.junitReport = junitReport
        self.coverageReport = coverageReport
    }
}

/// Runs the suite against the practice API (correct, or with one named bug) and judges it: it
/// must pass against the correct API and fail against each bug of the stage. A missed bug is
/// named, and what it broke said, only after the run.
struct TestSuiteCheck: Sendable {
    let suite: TestSuiteCommand?
    /// The line that checks the stage again, for a report's "reproduce".
    let replay: String

    /// How many of the suite's last output lines a report shows.
    static let shownLines = 15

    func run(_ inspection: Inspection, bindings: Bindings) async -> InspectionFinding {
        var finding = InspectionFinding(reproduce: replay)
        guard let suite else {
            finding.failures.append("no test suite to run: run groundwork check with --tests \"COMMAND\"")
            return finding
        }
        switch inspection.kind {
        case .suitePasses:
            let run = await self.run(suite, bug: nil, &finding)
            if run?.succeeded == false {
                finding.failures.append(
                    "your suite fails against the correct API (\(Self.ended(run!))): fix the tests that fail (the output above says which), "
                        + "since a suite that fails a correct server catches nothing")
            }
        case .suiteCatches:
            for name in inspection.list("bugs", bindings) {
                guard let bug = SampleAPI.Bug(rawValue: name) else {
                    finding.failures.append("the lab names a bug the practice API does not have: \(name)")
                    continue
                }
                var quiet = InspectionFinding()
                guard let run = await self.run(suite, bug: bug, &quiet) else {
                    finding.failures += quiet.failures
                    continue
                }
                if run.succeeded {
                    finding.failures.append("missed \(bug.rawValue): your suite passed against an API where \(bug.description)")
                    finding.transcript = quiet.transcript
                } else {
                    finding.notes.append("caught \(bug.rawValue) (\(Self.ended(run)))")
                }
            }
        case .junitReport:
            guard let file = suite.junitReport else { return finding }
            try? FileManager.default.removeItem(at: file)
            guard let run = await self.run(suite, bug: nil, &finding), run.succeeded else {
                finding.failures.append("your suite does not pass against the correct API, so its report says nothing yet")
                return finding
            }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                finding.failures.append("your suite did not write \(file.path): tell your test runner to write a JUnit XML report there")
                return finding
            }
            switch JUnitCounts.read(data) {
            case .none:
                finding.failures.append("\(file.path) is not a JUnit XML report (no <testsuite> or <testsuites> with a tests count)")
            case .some(let counts):
                let minimum = inspection.number("min_tests", fallback: 1)
                finding.notes.append("\(counts.tests) tests, \(counts.failures) failed, \(counts.skipped) skipped")
                if counts.tests < minimum { finding.failures.append("the report counts \(counts.tests) tests; the lab asks for at least \(minimum)") }
                if counts.failures > 0 { finding.failures.append("the report counts \(counts.failures) failed test(s) against the correct API") }
            }
        case .lineCoverage:
            guard let file = suite.coverageReport else { return finding }
            guard let data = FileManager.default.contents(atPath: file.path) else {
                finding.failures.append("there is no coverage report at \(file.path): tell your coverage tool to write it there")
                return finding
            }
            guard let coverage = LineCoverage.read(data) else {
                finding.failures.append("\(file.path) is no coverage report this lab reads (JaCoCo XML, Cobertura XML or lcov)")
                return finding
            }
            let minimum = inspection.number("min_percent", fallback: 60)
            let percent = coverage.percent
            finding.notes.append("\(coverage.covered) of \(coverage.total) lines covered (\(String(format: "%.1f", percent)) %, \(coverage.format))")
            if percent < Double(minimum) {
                finding.failures.append("\(String(format: "%.1f", percent)) % of lines are covered; the lab asks for at least \(minimum) %")
            }
        default:
            finding.failures.append("\(inspection.kind.rawValue) is no check of a test suite")
        }
        return finding
    }

    /// Runs the suite once against a fresh practice API; `nil` when it could not run at all.
    private func run(_ suite: TestSuiteCommand, bug: SampleAPI.Bug?, _ finding: inout InspectionFinding) async -> BoundedCommand.Output? {
        let result: Result<BoundedCommand.Output, CommandFailure>
        do {
            result = .success(
                try await SampleAPI.with(bug: bug) { url in
                    var environment = ProcessInfo.processInfo.environment
                    environment["BASE_URL"] = url.absoluteString
                    environment["API_TOKEN"] = SampleAPI.token
                    return try await BoundedCommand.run(
                        ["/bin/sh", "-c", suite.command], environment: environment, timeout: suite.timeout,
                        outputLimit: TestSuiteCommand.outputLimit)
                })
        } catch let failure as CommandFailure {
            result = .failure(failure)
        } catch {
            result = .failure(CommandFailure(reason: "\(error)"))
        }
        switch result {
        case .failure(let failure):
            finding.failures.append("your test command could not be run: \(failure.reason)")
            return nil
        case .success(let output):
            let text = (output.text + output.errorText).split(separator: "\n", omittingEmptySubsequences: false)
            finding.transcript = ["$ BASE_URL=… API_TOKEN=… \(suite.command)"] + text.suffix(Self.shownLines).map { "  " + $0 }
            if output.timedOut {
                finding.failures.append(
                    "your suite ran longer than \(suite.timeout) and was stopped: is a test waiting for an answer that never comes?")
                return nil
            }
            if output.truncated {
                finding.failures.append("your suite printed more than \(TestSuiteCommand.outputLimit / 1024) KiB and was stopped")
                return nil
            }
            return output
        }
    }

    static func ended(_ output: BoundedCommand.Output) -> String {
        output.status.map(\.description) ?? "stopped"
    }
}
