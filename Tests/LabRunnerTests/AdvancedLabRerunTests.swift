import Foundation
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

/// The advanced labs draw fresh names and values for every run, so a learner's server that still
/// holds an earlier run's accounts, users, jobs or keys passes again — restarts and proxies included.
@Suite("Advanced labs run again against the same server")
struct AdvancedLabRerunTests {
    @Test(
        "a second run with another seed, against a server holding the first run's data, passes too",
        arguments: [ReferenceLab.dataIntegrity, .caching, .authSecurity, .asyncJobs, .reverseProxy])
    func secondRunPasses(lab: ReferenceLab) async throws {
        // setup
        let definition = try TestLab.shipped(lab.rawValue)
        let twice: @Sendable (RunOptions) async -> (LabVerdict, LabVerdict) = { options in
            var options = options
            options.seed = 101
            let first = await LabRunner(options: options).run(definition)
            options.seed = 202
            return (first, await LabRunner(options: options).run(definition))
        }
        // MUT
        let (first, second) =
            lab == .reverseProxy
            ? try await ProxiedReference.with(mutant: nil) { url in await twice(RunOptions(target: url)) }
            : try await RestartableReference.with(lab, mutant: nil) { url, server in
                await twice(RunOptions(target: url, restart: { try await server.restart() }))
            }
        // validate
        #expect(first.passed, "\(first.stages.flatMap(\.steps).flatMap(\.failures))")
        #expect(second.passed, "\(second.stages.flatMap(\.steps).flatMap(\.failures))")
    }
}
