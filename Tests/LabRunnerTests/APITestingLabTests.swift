import Foundation
import LabKit
import Testing

@testable import LabRunner

/// The api-testing lab is an honest judge of test suites: the reference suite (Python, standard
/// library only) passes every stage; each version of it that leaves out one stage's tests fails at
/// that stage, naming the bug it missed; suites that test nothing, fail everything or hang are
/// told so; and the JUnit and coverage readers understand the formats runners write.
@Suite("The api-testing lab against reference test suites", .serialized)
struct APITestingLabTests {
    static let suite = TestLab.repositoryRoot.appendingPathComponent("Tests/LabRunnerTests/Fixtures/api-suites/suite.py").path

    static func check(_ command: String, junit: URL? = nil, coverage: URL? = nil, timeout: Duration = .seconds(60)) async throws -> LabVerdict {
        let lab = try TestLab.shipped("api-testing")
        var options = RunOptions(
            target: URL(fileURLWithPath: "/"), seed: 1, workspace: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        options.testSuite = TestSuiteCommand(command: command, timeout: timeout, junitReport: junit, coverageReport: coverage)
        options.replay = "groundwork check api-testing --tests '\(command)'"
        return await LabRunner(options: options).run(lab)
    }

    static func reports() -> (junit: URL, coverage: URL) {
        let folder = FileManager.default.temporaryDirectory
        return (
            folder.appendingPathComponent("groundwork-junit-\(UUID().uuidString).xml"),
            folder.appendingPathComponent("groundwork-\(UUID().uuidString).lcov")
        )
    }

    @Test("the reference suite passes every stage, its reports included")
    func referencePasses() async throws {
        // setup
        let (junit, coverage) = Self.reports()
        defer {
            try? FileManager.default.removeItem(at: junit)
            try? FileManager.default.removeItem(at: coverage)
        }
        // MUT
        let verdict = try await Self.check(
            "JUNIT_FILE='\(junit.path)' COVERAGE_FILE='\(coverage.path)' python3 '\(Self.suite)'", junit: junit, coverage: coverage)
        // validate
        #expect(verdict.stages.flatMap(\.steps).filter { $0.outcome != .passed }.map { "\($0.name): \($0.failures) \($0.transcript ?? [])" } == [])
        #expect(verdict.passed)
        let caught = verdict.stages.flatMap(\.steps).flatMap(\.notes).filter { $0.hasPrefix("caught ") }
        #expect(caught.count == SampleAPI.Bug.allCases.count)
    }

    static let stages = ["status-codes", "validation", "lifecycle", "pagination", "auth", "concurrency"]

    @Test("a suite that leaves out one stage's tests fails at that stage, naming the bug it missed and what it broke", arguments: stages)
    func suiteMissingAStage(stage: String) async throws {
        // MUT
        let verdict = try await Self.check("SKIP_STAGE=\(stage) python3 '\(Self.suite)'")
        // validate
        let failed = try #require(verdict.firstFailedStage)
        #expect(failed.id == stage, "\(failed.steps.flatMap(\.failures))")
        let failures = failed.steps.flatMap(\.failures)
        let missed = SampleAPI.Bug.allCases.filter {
            $0.stage == stage && failures.contains("missed \($0.rawValue): your suite passed against an API where \($0.description)")
        }
        #expect(!missed.isEmpty, "\(failures)")
        #expect(failed.steps.first { $0.outcome == .failed }?.reproduce?.hasPrefix("groundwork check api-testing --tests") == true)
    }

    @Test("a suite that tests nothing misses the first bugs; one that always fails is told it fails a correct API; one that hangs is stopped")
    func uselessSuites() async throws {
        // MUT
        let passesAll = try await Self.check("exit 0")
        let failsAll = try await Self.check("echo 'AssertionError: boom'; exit 1")
        let clock = ContinuousClock()
        let start = clock.now
        let hangs = try await Self.check("sleep 30", timeout: .seconds(1))
        // validate
        #expect(passesAll.firstFailedStage?.steps.last?.failures.count == 2)
        let failing = try #require(failsAll.firstFailedStage?.steps.first)
        #expect(failing.failures.first?.contains("your suite fails against the correct API (exited with status 1)") == true)
        #expect(failing.transcript?.contains("  AssertionError: boom") == true)
        #expect(hangs.firstFailedStage?.steps.first?.failures.first?.contains("ran longer than") == true)
        #expect(start.duration(to: clock.now) < .seconds(20))
    }

    @Test("without --junit and --coverage the reports stage is skipped, and the lab not passed")
    func reportsNeedTheirFiles() async throws {
        // MUT
        let verdict = try await Self.check("python3 '\(Self.suite)'")
        // validate
        #expect(verdict.stages.dropLast().allSatisfy { $0.outcome == .passed })
        #expect(verdict.stages.last?.outcome == .skipped)
        #expect(verdict.stages.last?.skipReason?.contains("--junit FILE and --coverage FILE") == true)
        #expect(!verdict.passed)
    }

    @Test("every bug of the practice API is named in the lab once, at the stage it belongs to")
    func everyBugInItsStage() throws {
        // setup
        let lab = try TestLab.shipped("api-testing")
        // MUT
        var named: [String: String] = [:]
        for stage in lab.stages {
            for step in stage.steps {
                guard case .inspect(let inspection) = step.action, inspection.kind == .suiteCatches else { continue }
                for bug in inspection.list("bugs", Bindings()) { named[bug] = stage.id }
            }
        }
        // validate
        #expect(named == Dictionary(uniqueKeysWithValues: SampleAPI.Bug.allCases.map { ($0.rawValue, $0.stage) }))
    }

    @Test("JUnit counts from a testsuites root or summed testsuite elements; coverage from JaCoCo, Cobertura and lcov")
    func reportReaders() {
        // MUT + validate
        #expect(
            JUnitCounts.read(Data(#"<testsuites tests="12" failures="1" errors="1" skipped="2"><testsuite tests="12"/></testsuites>"#.utf8))
                == JUnitCounts(tests: 12, failures: 2, skipped: 2))
        #expect(
            JUnitCounts.read(
                Data(#"<testsuites><testsuite name="a" tests="3" failures="0"/><testsuite name="b" tests="4" errors="1"/></testsuites>"#.utf8))
                == JUnitCounts(tests: 7, failures: 1, skipped: 0))
        #expect(JUnitCounts.read(Data("<html>not a report</html>".utf8)) == nil)
        let jacoco =
            #"<report name="app"><package name="p"><counter type="LINE" missed="50" covered="50"/></package><counter type="INSTRUCTION" missed="1" covered="2"/><counter type="LINE" missed="20" covered="80"/></report>"#
        #expect(LineCoverage.read(Data(jacoco.utf8)) == LineCoverage(covered: 80, total: 100, format: "JaCoCo"))
        #expect(
            LineCoverage.read(Data(#"<?xml version="1.0"?><coverage line-rate="0.5" lines-covered="30" lines-valid="40">"#.utf8))
                == LineCoverage(covered: 30, total: 40, format: "Cobertura"))
        #expect(
            LineCoverage.read(Data("TN:\nSF:a.js\nLF:10\nLH:5\nend_of_record\nSF:b.js\nLF:30\nLH:30\nend_of_record\n".utf8))
                == LineCoverage(covered: 35, total: 40, format: "lcov"))
        #expect(LineCoverage.read(Data("just text".utf8)) == nil)
    }
}

/// The starter suites in Content/labs/starters/api-testing pass stage 1 as they are, run the way
/// the brief says, so a learner starts from something that works.
@Suite("The api-testing starter suites", .serialized)
struct APITestingStarterTests {
    static let folder = TestLab.repositoryRoot.appendingPathComponent("Content/labs/starters/api-testing").path

    @Test(
        "the starters (pytest, node's test runner) pass stage 1 and fail stage 2",
        arguments: [
            "python3 -m pytest -q -p no:cacheprovider '\(folder)/test_tasks.py'", "node --test '\(folder)/tasks.test.mjs'",
        ])
    func starterPassesStageOne(command: String) async throws {
        // MUT
        let verdict = try await APITestingLabTests.check(command)
        // validate
        #expect(verdict.stages.first?.outcome == .passed, "\(verdict.stages.first?.steps.flatMap { $0.failures + ($0.transcript ?? []) } ?? [])")
        #expect(verdict.firstFailedStage?.id == "validation")
    }
}
