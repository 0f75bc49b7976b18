import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Web

/// Builds the real application (real content, real database, real middleware) for a test.
enum TestApp {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped content, parsed once for the whole suite (parsing 77 lessons is not free).
    private static let shipped = Result {
        try ContentLoader(contentDirectory: repositoryRoot.appendingPathComponent("Content"), sourceRoot: repositoryRoot).loadRoadmap()
    }

    static func roadmap() throws -> Roadmap {
        try shipped.get()
    }

    static func configuration(_ mode: AppConfiguration.Mode, port: Int = 0) -> AppConfiguration {
        // A lower scrypt cost keeps the suite quick; it is still real scrypt.
        AppConfiguration(
            host: "127.0.0.1", port: port, mode: mode,
            publicDirectory: repositoryRoot.appendingPathComponent("Public").path, passwordCost: 10)
    }

    /// Runs `body` against the router (no socket) on a fresh database of `kind`.
    static func test(
        _ mode: AppConfiguration.Mode = .personal, on kind: DatabaseKind = .sqlite,
        roadmap: Roadmap? = nil, configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: @escaping @Sendable (any TestClientProtocol, Database) async throws -> Void
    ) async throws {
        var settings = configuration(mode)
        configure(&settings)
        let content = try roadmap ?? Self.roadmap()
        try await TestDatabase.with(kind) { location in
            try await location.use { database in
                let router = try await buildRouter(AppDependencies(configuration: settings, roadmap: content, database: database))
                let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.router) { client in
                    // The content's search index is built in the background after start-up; a test
                    // that ends first would close the database under it (SQLite then crashes the
                    // process). A search waits for the index, so the database closes after it.
                    do {
                        try await body(client, database)
                    } catch {
                        _ = try? await client.execute(uri: "/api/v1/search?q=index", method: .get)
                        throw error
                    }
                    _ = try? await client.execute(uri: "/api/v1/search?q=index", method: .get)
                }
            }
        }
    }
}

/// A browser's cookie jar, just enough for tests: remembers what `Set-Cookie` sent.
struct CookieJar {
    private(set) var values: [String: String] = [:]

    mutating func take(_ response: TestResponse) {
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            values[String(parts[0])] = parts[1].isEmpty ? nil : String(parts[1])
        }
    }

    var header: String { values.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
    subscript(name: String) -> String? { values[name] }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] ?? [:]
    }
}

/// URL-encodes form fields the way a browser does.
func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    let text = fields.map { key, value in
        "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed)!.replacingOccurrences(of: "%20", with: "+"))"
    }.joined(separator: "&")
    return ByteBuffer(string: text)
}

let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

extension HTTPFields {
    func with(_ name: HTTPField.Name, _ value: String) -> HTTPFields {
        var copy = self
        copy[name] = value
        return copy
    }
}
