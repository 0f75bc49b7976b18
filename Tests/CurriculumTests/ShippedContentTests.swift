import Curriculum
import Foundation
import Testing

/// The content that ships in `Content/` must load cleanly.
@Suite("Shipped content")
struct ShippedContentTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("Content/ passes every check and covers the six stages of the roadmap")
    func shippedContentIsValid() throws {
        let loader = ContentLoader(contentDirectory: Self.repositoryRoot.appendingPathComponent("Content"), sourceRoot: Self.repositoryRoot)
        let result = loader.check()
        #expect(result.problems.map(\.description) == [])
        #expect(result.roadmap.stages.map(\.id) == ["basics", "frameworks", "advanced", "tools", "practice", "clone"])
        for stage in result.roadmap.stages {
            #expect(stage.topics.count >= 2, "stage \(stage.id) needs at least two topics")
        }
    }
}
