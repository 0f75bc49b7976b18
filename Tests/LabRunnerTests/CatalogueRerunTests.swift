import Foundation
import LabKit
import LabRunner
import Testing

@testable import ReferenceBackend

/// Labs whose servers keep data draw fresh names and values for every run, so what earlier runs
/// left in a learner's server never makes a correct server fail.
@Suite("Catalogue labs run again against the same server")
struct CatalogueRerunTests {
    @Test(
        "a second run with another seed, against a server holding the first run's data, passes too",
        arguments: [ReferenceLab.urlShortener, .exerciseTracker, .fileMetadata, .blogAPI])
    func secondRunPasses(lab: ReferenceLab) async throws {
        // setup
        let definition = try TestLab.shipped(lab.rawValue)
        // MUT
        let (first, second) = try await LocalServer.run(
            { onRunning in
                try ReferenceServer.application(lab: lab, mutant: nil, port: 0, onRunning: onRunning)
            },
            { url in
                let first = await LabRunner(options: RunOptions(target: url, seed: 101)).run(definition)
                let second = await LabRunner(options: RunOptions(target: url, seed: 202)).run(definition)
                return (first, second)
            })
        // validate
        #expect(first.passed)
        #expect(second.passed, "\(second.stages.flatMap(\.steps).flatMap(\.failures))")
    }
}
