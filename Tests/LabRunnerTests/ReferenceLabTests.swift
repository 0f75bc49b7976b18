import Foundation
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

/// The labs are honest judges: the reference solution passes every stage, and every mutant fails
/// exactly at the stage its bug belongs to. Each run starts the reference backend in-process on
/// 127.0.0.1, with a data file, and restarts it when a stage asks (as `--run` would); reverse-proxy
/// runs two instances behind a real nginx.
@Suite("Shipped labs against the reference backend")
struct ReferenceLabTests {
    static func check(_ lab: ReferenceLab, mutant: String?, seed: UInt64 = 20_261_125, restartable: Bool = true) async throws -> LabVerdict {
        let definition = try TestLab.shipped(lab.rawValue)
        if lab == .reverseProxy {
            return try await ProxiedReference.with(mutant: mutant) { url in
                await LabRunner(options: RunOptions(target: url, seed: seed)).run(definition)
            }
        }
        return try await RestartableReference.with(lab, mutant: mutant) { url, server in
            var options = RunOptions(target: url, seed: seed)
            if restartable { options.restart = { try await server.restart() } }
            return await LabRunner(options: options).run(definition)
        }
    }

    static let mutants: [(ReferenceLab, Mutant)] = ReferenceLab.allCases.flatMap { lab in lab.mutants.map { (lab, $0) } }

    @Test("the reference solution passes every stage", arguments: ReferenceLab.allCases)
    func referencePasses(lab: ReferenceLab) async throws {
        // MUT
        let verdict = try await Self.check(lab, mutant: nil)
        // validate
        let failures = verdict.stages.flatMap(\.steps).filter { $0.outcome != .passed }.map { "\($0.name): \($0.failures)" }
        #expect(failures == [])
        #expect(verdict.passed)
        #expect(verdict.stages.count == (try TestLab.shipped(lab.rawValue)).stages.count)
    }

    @Test("every mutant fails, at the stage its bug belongs to, with a curl line to reproduce it", arguments: mutants)
    func mutantFails(lab: ReferenceLab, mutant: Mutant) async throws {
        // MUT
        let verdict = try await Self.check(lab, mutant: mutant.name)
        // validate
        #expect(!verdict.passed)
        let failed = try #require(verdict.firstFailedStage, "\(mutant.name) passed every stage")
        #expect(failed.id == mutant.stage, "\(mutant.name) (\(mutant.bug)) failed at \(failed.id): \(failed.steps.flatMap(\.failures))")
        #expect(verdict.stages.prefix(failed.number - 1).allSatisfy { $0.outcome == .passed })
        #expect(verdict.stages.dropFirst(failed.number).allSatisfy { $0.outcome == .skipped })
        let step = try #require(failed.steps.first { $0.outcome == .failed })
        #expect(step.exchange?.curl.hasPrefix("curl -") == true)
        #expect(!step.failures.isEmpty)
    }

    static let correctVariants: [(ReferenceLab, Mutant)] = ReferenceLab.allCases.flatMap { lab in lab.correctVariants.map { (lab, $0) } }

    @Test("every correct variant a real server may have passes every stage", arguments: correctVariants)
    func correctVariantPasses(lab: ReferenceLab, variant: Mutant) async throws {
        // MUT
        let verdict = try await Self.check(lab, mutant: variant.name)
        // validate
        let failures = verdict.stages.flatMap(\.steps).filter { $0.outcome != .passed }.map { "\($0.name): \($0.failures)" }
        #expect(failures == [], "\(variant.name) (\(variant.bug))")
        #expect(verdict.passed)
    }

    @Test("each lab has at least three mutants, each naming a stage of its lab")
    func mutantCatalogue() throws {
        for lab in ReferenceLab.allCases {
            let stages = Set(try TestLab.shipped(lab.rawValue).stages.map(\.id))
            #expect(lab.mutants.count >= 3)
            for mutant in lab.mutants + lab.correctVariants {
                #expect(stages.contains(mutant.stage), "\(lab.rawValue) mutant \(mutant.name) names unknown stage \(mutant.stage)")
            }
        }
    }

    @Test("checking stage N runs stages 1 to N only, and the same seed sends the same values")
    func throughStageAndSeed() async throws {
        // setup
        let definition = try TestLab.shipped("http-basics")
        // MUT
        let verdicts = try await LocalServer.run(
            { onRunning in
                try ReferenceServer.application(lab: .httpBasics, mutant: nil, port: 0, onRunning: onRunning)
            },
            { url in
                var options = RunOptions(target: url, seed: 99, throughStage: 2)
                let first = await LabRunner(options: options).run(definition)
                options.throughStage = nil
                let second = await LabRunner(options: options).run(definition)
                return (first, second)
            })
        // validate
        #expect(verdicts.0.stages.map(\.id) == ["health", "content-types"])
        #expect(verdicts.0.passed)
        #expect(verdicts.1.stages.count == definition.stages.count)
        #expect(verdicts.0.seed == 99)
        let name = try #require(definition.bindings(seed: 99)["name"])
        #expect(definition.bindings(seed: 99)["name"] == name)
    }

    @Test("with --continue, stages after a failing one are still checked")
    func continueAfterFailure() async throws {
        // setup
        let definition = try TestLab.shipped("http-basics")
        // MUT
        let verdict = try await LocalServer.run(
            { onRunning in
                try ReferenceServer.application(lab: .httpBasics, mutant: HTTPBasicsMutant.ignoresAccept.rawValue, port: 0, onRunning: onRunning)
            },
            { url in
                await LabRunner(options: RunOptions(target: url, continueAfterFailure: true)).run(definition)
            })
        // validate
        #expect(verdict.stages.map(\.outcome) == [.passed, .failed, .passed, .passed, .passed, .passed])
        #expect(!verdict.passed)
    }

    @Test("an unknown mutant name lists the mutants that exist")
    func unknownMutant() {
        // MUT
        let error = #expect(throws: UnknownMutant.self) { _ = try ReferenceLab.restJSON.router(mutant: "nope") }
        // validate
        #expect(error?.description.hasPrefix("lab rest-json has no mutant 'nope' (it has: no-location, ") == true)
    }
}
