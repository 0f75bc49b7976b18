import Foundation
import LabKit

/// The verdict as JSON, for scripts and for uploading to a Groundwork server.
public enum JSONReporter {
    public static func report(_ verdict: LabVerdict) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(verdict)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The verdict as JUnit XML, which CI systems (GitHub Actions, GitLab, Jenkins) show as test
/// results: a test suite per stage, a test case per step, failures with the full details.
public enum JUnitReporter {
    public static func report(_ verdict: LabVerdict) -> String {
        let steps = verdict.stages.flatMap(\.steps)
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml +=
            "<testsuites name=\"\(escape("groundwork \(verdict.lab)"))\" tests=\"\(steps.count)\" failures=\"\(count(steps, .failed))\" "
            + "skipped=\"\(count(steps, .skipped))\" time=\"\(seconds(verdict.durationMS))\">\n"
        for stage in verdict.stages {
            let time = stage.steps.reduce(0) { $0 + $1.durationMS }
            xml +=
                "  <testsuite name=\"\(escape("\(verdict.lab) \(stage.number) \(stage.id): \(stage.title)"))\" tests=\"\(stage.steps.count)\" "
                + "failures=\"\(count(stage.steps, .failed))\" errors=\"0\" skipped=\"\(count(stage.steps, .skipped))\" time=\"\(seconds(time))\">\n"
            xml += "    <properties>\n"
            xml += "      <property name=\"seed\" value=\"\(verdict.seed)\"/>\n"
            xml += "      <property name=\"target\" value=\"\(escape(verdict.target))\"/>\n"
            xml += "    </properties>\n"
            for step in stage.steps {
                xml +=
                    "    <testcase classname=\"\(escape("\(verdict.lab).\(stage.id)"))\" name=\"\(escape(step.name))\" time=\"\(seconds(step.durationMS))\""
                var inner = ""
                if let beyond = step.beyond ?? stage.beyond {
                    inner += "      <properties>\n        <property name=\"beyond\" value=\"\(escape(beyond))\"/>\n      </properties>\n"
                }
                switch step.outcome {
                case .passed:
                    break
                case .skipped:
                    let reason = stage.skipReason.map { "not run: \($0)" } ?? "not run: an earlier step failed"
                    inner += "      <skipped message=\"\(escape(reason))\"/>\n"
                case .failed:
                    let message = step.failures.first ?? "failed"
                    inner +=
                        "      <failure message=\"\(escape(message))\" type=\"LabCheckFailed\">\(escape(details(step, hint: stage.hint)))</failure>\n"
                }
                xml += inner.isEmpty ? "/>\n" : ">\n" + inner + "    </testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    private static func details(_ step: StepVerdict, hint: String) -> String {
        var lines = step.failures
        lines += step.expected.map { "expected: \($0)" }
        if let exchange = step.exchange {
            lines.append("request: \(exchange.request.method) \(exchange.request.url)")
            if let response = exchange.response {
                lines.append("response: \(response.status)")
                lines += response.headers.map { "  \($0.name): \($0.value)" }
                lines += FailureAdvice.bodyLines(of: response)
            } else if let error = exchange.transportError {
                lines.append("response: none (\(error.message)) — \(error.hint)")
            }
        }
        if let transcript = step.transcript, !transcript.isEmpty { lines += ["saw:"] + transcript.map { "  " + $0 } }
        if let advice = FailureAdvice.hint(for: step, stageHint: hint) { lines.append("hint: \(advice)") }
        if let command = step.exchange?.curl ?? step.reproduce { lines.append("reproduce: \(command)") }
        return lines.joined(separator: "\n")
    }

    private static func count(_ steps: [StepVerdict], _ outcome: Outcome) -> Int {
        steps.filter { $0.outcome == outcome }.count
    }

    private static func seconds(_ milliseconds: Int) -> String {
        String(format: "%.3f", Double(milliseconds) / 1000)
    }

    /// Escapes markup and drops characters XML 1.0 cannot carry at all (most control characters).
    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: result += "\u{FFFD}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
