import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import TestSupport
import Testing
import Web

/// What a learner's progress means: a lab they passed counts for its topics everywhere.
@Suite("The learner's path")
struct LearnerPathTests {
    @Test("passing a lab marks its topics done on the roadmap page, the API and the topic page", arguments: DatabaseKind.allCases)
    func passedLabCounts(kind: DatabaseKind) async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app(on: kind) { client, _ in
            let before = try await client.execute(uri: "/", method: .get)
            #expect(before.text.contains("Overall: 0 of 64 steps done"))
            // MUT
            let upload = try await LabRunAPITests.upload(client, report)
            #expect(upload.status == .created)
            // validate
            let page = try await client.execute(uri: "/", method: .get)
            #expect(!page.text.contains("Overall: 0 of 64 steps done"))
            let api = try await client.execute(uri: "/api/v1/topics/http", method: .get)
            #expect(try api.json()["state"] as? String == "done")
            let roadmap = try await client.execute(uri: "/api/v1/roadmap", method: .get)
            let overall = try #require(try roadmap.json()["progress"] as? [String: Any])
            #expect((overall["done"] as? Int ?? 0) >= 1)
            let topic = try await client.execute(uri: "/topics/http", method: .get)
            #expect(topic.text.contains("badge verified"))
        }
    }

    @Test("quiz choices are shown shuffled, the same way on a reload, in another order for the next attempt")
    func choicesAreShuffled() async throws {
        #expect(Set(ChoiceOrder.order(count: 4, seed: "a")) == [0, 1, 2, 3])
        #expect(ChoiceOrder.order(count: 4, seed: "a") == ChoiceOrder.order(count: 4, seed: "a"))
        let orders = Set((0..<50).map { ChoiceOrder.order(count: 4, seed: "learner/\($0)") })
        #expect(orders.count > 10)
        try await TestApp.test { client, _ in
            let topic = try #require(try TestApp.roadmap().topic(id: "http"))
            func shownOrder(_ html: String) -> [String] {
                html.matches(of: /id="(q\d+-choice\d+)"/).map { String($0.1) }
            }
            // MUT
            let first = try await client.execute(uri: "/topics/http/quiz", method: .get)
            let again = try await client.execute(uri: "/topics/http/quiz", method: .get)
            // validate
            let fileOrder = topic.quiz.indices.flatMap { question in topic.quiz[question].choices.indices.map { "q\(question)-choice\($0)" } }
            #expect(shownOrder(first.text) == shownOrder(again.text))
            #expect(Set(shownOrder(first.text)) == Set(fileOrder))
            #expect(shownOrder(first.text) != fileOrder)
        }
    }
}
