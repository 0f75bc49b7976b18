import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import TestSupport
import Web

/// The cap on SQL practice attempts (120 a minute per learner in team mode) is counted in the
/// database, so a learner whose requests nginx spreads over several instances meets it all the same.
@Suite("SQL attempt limit across instances", .serialized)
struct SQLAttemptLimitTests {
    @Test("attempts through A and B count together: the 121st in a minute is refused, with Retry-After", arguments: DatabaseKind.allCases)
    func limitHoldsAcrossInstances(kind: DatabaseKind) async throws {
        var settings = TestApp.configuration(.team)
        SQLPracticePagesTests.practice(&settings)
        let dependencies = { (database: Database) in AppDependencies(configuration: settings, roadmap: try TestApp.roadmap(), database: database) }
        try await TestDatabase.with(kind) { location in
            try await location.use { databaseA in
                try await location.use { databaseB in
                    let instanceA = Application(router: try await buildRouter(try dependencies(databaseA)),
                                                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    let instanceB = Application(router: try await buildRouter(try dependencies(databaseB)),
                                                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                    try await instanceA.test(.router) { clientA in
                        try await instanceB.test(.router) { clientB in
                            // setup: 120 attempts, every other one through each instance
                            let (_, jar) = try await TeamModeTests.signUp(clientA)
                            for index in 0..<120 {
                                let response = try await SQLPracticePagesTests.run(index.isMultiple(of: 2) ? clientA : clientB, 1, "SELECT 1", jar: jar)
                                #expect(response.status == .ok, "attempt \(index + 1)")
                            }
                            // MUT
                            let refusedOnA = try await SQLPracticePagesTests.run(clientA, 1, "SELECT 1", jar: jar)
                            let refusedOnB = try await SQLPracticePagesTests.run(clientB, 1, "SELECT 1", jar: jar)
                            // validate
                            for refused in [refusedOnA, refusedOnB] {
                                #expect(refused.status == .tooManyRequests)
                                let retryAfter = Int(refused.headers[.retryAfter] ?? "") ?? 0
                                #expect(retryAfter > 0 && retryAfter <= 60)
                                #expect(refused.text.contains("You have run a lot of SQL in the last minute"))
                            }
                        }
                    }
                }
            }
        }
    }
}
