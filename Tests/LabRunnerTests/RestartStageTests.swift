import Foundation
import Hummingbird
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

/// A stage with the `restart` probe: run only when the run can restart the server (`--run`),
/// skipped with its reason otherwise — and then the lab is not passed.
@Suite("The restart stage")
struct RestartStageTests {
    @Test("without a way to restart the server, the restart stage is skipped with its reason and the lab is not passed")
    func skippedWithoutRestart() async throws {
        // MUT
        let verdict = try await ReferenceLabTests.check(.dataIntegrity, mutant: nil, seed: 11, restartable: false)
        // validate
        let restart = try #require(verdict.stages.last)
        #expect(restart.id == "restart")
        #expect(restart.outcome == .skipped)
        #expect(restart.skipReason == "this stage restarts your server: run with --run \"COMMAND\" --port PORT")
        #expect(restart.steps.allSatisfy { $0.outcome == .skipped })
        #expect(verdict.stages.dropLast().allSatisfy { $0.outcome == .passed })
        #expect(!verdict.passed)
        #expect(verdict.firstFailedStage == nil)
    }

    @Test("the reports say a skipped stage means not passed, and why it was skipped")
    func reportsOfASkippedStage() async throws {
        // setup
        let verdict = try await ReferenceLabTests.check(.dataIntegrity, mutant: nil, seed: 11, restartable: false)
        let reporter = TextReporter(colour: false)
        let restart = try #require(verdict.stages.last)
        // MUT
        let live = reporter.lines(for: .stageFinished(restart))
        let summary = reporter.summary(verdict, replay: "groundwork check data-integrity --target URL --seed 11")
        let xml = try JUnitSummary(JUnitReporter.report(verdict))
        let json = JSONReporter.report(verdict)
        // validate
        #expect(live == ["  SKIPPED this stage restarts your server: run with --run \"COMMAND\" --port PORT"])
        #expect(
            summary.hasPrefix(
                "NOT PASSED data-integrity: 6 of 7 stages passed and none failed, but a lab passes only when every stage runs (seed 11, "))
        #expect(summary.hasSuffix("\nSkipped stage 7 'restart': this stage restarts your server: run with --run \"COMMAND\" --port PORT"))
        #expect(xml.skipped == restart.steps.count)
        #expect(xml.failures == 0)
        #expect(json.contains(#""skipReason" : "this stage restarts your server: run with --run \"COMMAND\" --port PORT""#))
        #expect(try JSONDecoder().decode(LabVerdict.self, from: Data(json.utf8)).stages.last?.skipReason == restart.skipReason)
    }

    @Test("with a restart, the persisting reference passes the stage and the probe says how the restart went")
    func restartedReference() async throws {
        // MUT
        let verdict = try await ReferenceLabTests.check(.dataIntegrity, mutant: nil, seed: 12)
        // validate
        let restart = try #require(verdict.stages.last)
        #expect(restart.outcome == .passed, "\(restart.steps.flatMap(\.failures))")
        #expect(restart.steps[2].notes.first?.hasPrefix("restarted in-process on port ") == true)
        #expect(verdict.passed)
    }

    @Test("the in-memory mutant fails after the restart: the account is gone, with the request that shows it")
    func inMemoryMutant() async throws {
        // MUT
        let verdict = try await ReferenceLabTests.check(.dataIntegrity, mutant: DataIntegrityMutant.accountsInMemory.rawValue, seed: 13)
        // validate
        let restart = try #require(verdict.firstFailedStage)
        #expect(restart.id == "restart")
        let step = try #require(restart.steps.first { $0.outcome == .failed })
        #expect(step.name == "the account is still there, balance included")
        #expect(step.failures.first == "status: expected 200, got 404")
        #expect(step.exchange?.curl.contains("/accounts/") == true)
    }

    @Test("a restart that fails fails its step with the reason; a skipped stage does not stop later ones")
    func failedRestartAndLaterStages() async throws {
        // setup
        let lab = try TestLab.make(
            """
            id: test
            title: Test
            summary: A lab for a test.
            stages:
              - id: again
                title: Restart
                goal: Survive.
                hint: Store your data.
                steps:
                  - name: restart
                    probe: restart
              - id: after
                title: After
                goal: Answer.
                hint: Answer 200.
                steps:
                  - name: health
                    request: {method: GET, path: /health}
                    expect: {status: 200}
            """)
        let router = Router()
        router.get("/health") { _, _ in "ok" }
        // MUT
        let (failed, skipped) = try await LocalServer.serve(router) { url in
            let failing = RunOptions(
                target: url, continueAfterFailure: true,
                restart: {
                    throw LearnerProgramError.exitedBeforeListening(.exited(1), port: 4321)
                })
            return (await LabRunner(options: failing).run(lab), await LabRunner(options: RunOptions(target: url)).run(lab))
        }
        // validate
        #expect(failed.stages[0].outcome == .failed)
        #expect(failed.stages[0].steps[0].failures == ["your program exited with status 1 before listening on 127.0.0.1:4321"])
        #expect(skipped.stages.map(\.outcome) == [.skipped, .passed])
        #expect(!skipped.passed)
    }
}
