import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// The cap on SQL practice attempts (120 a minute per learner in team mode) is counted in the
/// database, so a learner whose requests nginx spreads over several instances meets it all the same.
@Suite("SQL attempt limit across instances", .serialized)
struct SQLAttemptLimitTests {
    @Test("attempts through A and B count together: the 121st in a minute is refused, with Retry-After", arguments: DatabaseKind.allCases)
    func limitHoldsAcrossInstances(kind: DatabaseKind) async throws {
        try await MultiInstanceTests.twoInstances(.team, on: kind, configure: SQLPracticePagesTests.practice) { clientA, clientB in
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
