import Foundation

/// The counts of a JUnit XML report, as test runners of every language write it (JUnit, pytest,
/// node's test runner, PHPUnit, …): the root `<testsuites>` when it carries counts, else the sum of
/// its `<testsuite>` elements.
struct JUnitCounts: Equatable {
    var tests = 0
    var failures = 0
    var skipped = 0

    static func read(_ data: Data) -> JUnitCounts? {
        let text = String(decoding: data.prefix(16 * 1_048_576), as: UTF8.self)
        let tags = text.matches(of: /<(testsuites|testsuite)\b([^>]*)>/)
        func attribute(_ name: String, _ attributes: Substring) -> Int? {
            guard let match = attributes.firstMatch(of: try! Regex("\\b\(name)=\"(\\d+)\"")) else { return nil }
            return Int(match.output[1].substring ?? "")
        }
        if let root = tags.first, root.1 == "testsuites", let tests = attribute("tests", root.2) {
            return JUnitCounts(
                tests: tests, failures: (attribute("failures", root.2) ?? 0) + (attribute("errors", root.2) ?? 0),
                skipped: attribute("skipped", root.2) ?? 0)
        }
        let suites = tags.filter { $0.1 == "testsuite" }
        guard !suites.isEmpty else { return nil }
        var counts = JUnitCounts()
        for suite in suites {
            guard let tests = attribute("tests", suite.2) else { return nil }
            counts.tests += tests
            counts.failures += (attribute("failures", suite.2) ?? 0) + (attribute("errors", suite.2) ?? 0)
            counts.skipped += attribute("skipped", suite.2) ?? 0
        }
        return counts
    }
}

/// Line coverage from a JaCoCo XML report (the report's LINE counter), a Cobertura XML report
/// (`lines-covered`/`lines-valid`, or `line-rate`) or an lcov trace (the sum of `LF:`/`LH:`).
struct LineCoverage: Equatable {
    let covered: Int
    let total: Int
    let format: String

    var percent: Double { total == 0 ? 0 : Double(covered) * 100 / Double(total) }

    static func read(_ data: Data) -> LineCoverage? {
        let text = String(decoding: data.prefix(64 * 1_048_576), as: UTF8.self)
        if text.contains("<report") {
            // The report's own counters come after every package: the last LINE counter is the total.
            guard let counter = text.matches(of: /<counter\s+type="LINE"\s+missed="(\d+)"\s+covered="(\d+)"\s*\/>/).last,
                let missed = Int(counter.1), let covered = Int(counter.2)
            else { return nil }
            return LineCoverage(covered: covered, total: missed + covered, format: "JaCoCo")
        }
        if let root = text.firstMatch(of: /<coverage\b([^>]*)>/) {
            let attributes = root.1
            if let covered = attributes.firstMatch(of: /lines-covered="(\d+)"/).flatMap({ Int($0.1) }),
                let valid = attributes.firstMatch(of: /lines-valid="(\d+)"/).flatMap({ Int($0.1) })
            {
                return LineCoverage(covered: covered, total: valid, format: "Cobertura")
            }
            if let rate = attributes.firstMatch(of: /line-rate="([0-9.]+)"/).flatMap({ Double($0.1) }), (0...1).contains(rate) {
                return LineCoverage(covered: Int((rate * 10_000).rounded()), total: 10_000, format: "Cobertura")
            }
            return nil
        }
        var found = 0
        var hit = 0
        var records = 0
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("LF:"), let value = Int(line.dropFirst(3)) {
                found += value
                records += 1
            } else if line.hasPrefix("LH:"), let value = Int(line.dropFirst(3)) {
                hit += value
            }
        }
        guard records > 0, hit <= found else { return nil }
        return LineCoverage(covered: hit, total: found, format: "lcov")
    }
}
