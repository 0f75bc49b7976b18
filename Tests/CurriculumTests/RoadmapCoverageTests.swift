import Curriculum
import Foundation
import Testing

/// PRODUCT.md promises a roadmap in which none of its items is missing. This table maps each item
/// it names to the topic that teaches it, in the stage it belongs to, and to the words PRODUCT.md
/// uses for what that lesson must cover; the test fails when any of it disappears from `Content/`.
@Suite("Roadmap coverage")
struct RoadmapCoverageTests {
    struct Item: CustomTestStringConvertible, Sendable {
        let name: String
        let topicID: String
        let stageID: String
        /// Words the lesson must contain (case-insensitive) where PRODUCT.md spells out the item.
        let mentions: [String]

        init(_ name: String, _ topicID: String, _ stageID: String, mentions: [String] = []) {
            self.name = name
            self.topicID = topicID
            self.stageID = stageID
            self.mentions = mentions
        }

        var testDescription: String { "\(name) → \(topicID)" }
    }

    static let items: [Item] = [
        // 1. Basics of coding
        Item(
            "fundamentals", "programming-fundamentals", "basics",
            mentions: ["syntax", "variable", "function", "object", "data type", "execut"]),
        Item("PHP", "language-php", "basics"),
        Item("JavaScript", "language-javascript", "basics"),
        Item("Python", "language-python", "basics"),
        Item("C#", "language-csharp", "basics"),
        Item("relational databases", "relational-databases", "basics"),
        Item("MySQL", "mysql", "basics"),
        Item("Oracle", "oracle", "basics"),
        Item("PostgreSQL", "postgresql", "basics"),
        Item("SQL", "sql", "basics"),
        Item("NoSQL databases", "nosql-databases", "basics", mentions: ["document", "wide-column", "dynamic schema", "fixed schema"]),
        Item("Firebase", "firebase", "basics"),
        Item("MongoDB", "mongodb", "basics"),
        Item("Cassandra", "cassandra", "basics", mentions: ["wide-column"]),
        Item("data structures and algorithms", "data-structures-and-algorithms", "basics"),
        Item("Git", "git", "basics"),
        Item("GitHub", "github", "basics"),
        Item("GitLab", "gitlab", "basics"),
        // 2. Frameworks
        Item("why frameworks", "why-frameworks", "frameworks"),
        Item("ASP.NET", "aspnet", "frameworks"),
        Item("Laravel", "laravel", "frameworks"),
        Item("Ruby on Rails", "ruby-on-rails", "frameworks"),
        Item("Django", "django", "frameworks"),
        Item("Node.js", "nodejs", "frameworks", mentions: ["runtime", "framework"]),
        // 3. Advanced topics
        Item("REST", "rest", "advanced"),
        Item("JSON", "json", "advanced"),
        Item("SOAP", "soap", "advanced"),
        Item("GSON", "gson", "advanced", mentions: ["gson", "json"]),
        Item("AES", "aes-encryption", "advanced", mentions: ["in transit", "at rest"]),
        Item("CDN", "cdn", "advanced"),
        Item("server-side caching", "caching-server-side", "advanced"),
        Item("Redis", "redis", "advanced"),
        Item("client-side caching", "caching-client-side", "advanced", mentions: ["Cache-Control"]),
        Item("SSL/TLS", "ssl-tls", "advanced"),
        Item("CORS", "cors", "advanced"),
        Item("hashing", "password-hashing", "advanced", mentions: ["password"]),
        Item("unit testing", "unit-testing", "advanced"),
        Item("integration testing", "integration-testing", "advanced"),
        Item("functional testing", "functional-testing", "advanced"),
        // 4. Additional tools
        Item("SonarLint", "sonarlint", "tools", mentions: ["lint"]),
        Item("PMD", "pmd", "tools", mentions: ["static analy"]),
        Item("SonarQube", "sonarqube", "tools"),
        Item("JUnit", "junit", "tools"),
        Item("JaCoCo", "jacoco", "tools", mentions: ["coverage"]),
        Item("SOA", "soa", "tools"),
        Item("microservices", "microservices", "tools"),
        Item("CQRS", "cqrs", "tools"),
        Item("message brokers", "message-brokers", "tools"),
        Item("Docker", "docker", "tools"),
        Item("Apache HTTP Server", "apache-http-server", "tools"),
        Item("NGINX", "nginx", "tools", mentions: ["reverse proxy", "load balanc", "cach"]),
        // 5. Practice with real-world applications
        Item("business website backend", "project-business-website", "practice"),
        Item("blog", "project-blog", "practice"),
        // 6. Creating a clone
        Item("the clone (Medium-like, RealWorld Conduit)", "clone-conduit-api", "clone", mentions: ["Medium", "Conduit", "RealWorld"]),
    ]

    static let roadmap: Result<Roadmap, any Error> = Result {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try ContentLoader(contentDirectory: root.appendingPathComponent("Content"), sourceRoot: root).loadRoadmap()
    }

    @Test("every item PRODUCT.md lists is a topic in its stage, and its lesson covers what PRODUCT.md names", arguments: items)
    func itemIsCovered(item: Item) throws {
        // setup
        let roadmap = try Self.roadmap.get()
        // MUT
        let topic = try #require(roadmap.topic(id: item.topicID), "no topic '\(item.topicID)' teaches \(item.name)")
        // validate
        #expect(topic.stageID == item.stageID, "\(item.name) belongs in stage \(item.stageID), not \(topic.stageID)")
        let lesson = (topic.title + "\n" + topic.lessonMarkdown).lowercased()
        for word in item.mentions {
            #expect(lesson.contains(word.lowercased()), "the \(topic.id) lesson never mentions '\(word)'")
        }
    }

    @Test("the roadmap has at least 70 topics and 350 quiz questions")
    func roadmapIsBigEnough() throws {
        // setup + MUT
        let topics = try Self.roadmap.get().topics
        // validate
        #expect(topics.count >= 70)
        #expect(topics.map(\.quiz.count).reduce(0, +) >= 350)
    }
}
