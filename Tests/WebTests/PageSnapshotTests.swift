import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Every page as a learner sees it, compared with the HTML kept in `Tests/Snapshots/`, so that a
/// change to a page shows in review as a change to its snapshot. Pages are rendered in personal
/// mode on a fresh database with a fixed history (what varies per request or per day — the CSRF
/// token, dates — is replaced by a placeholder). After an intended change, record the pages again with
/// `GROUNDWORK_UPDATE_SNAPSHOTS=1 swift test --filter PageSnapshotTests` and review the diff.
@Suite("Page snapshots", .serialized)
struct PageSnapshotTests {
    static let folder = TestApp.repositoryRoot.appendingPathComponent("Tests/Snapshots")
    static let updating = ProcessInfo.processInfo.environment["GROUNDWORK_UPDATE_SNAPSHOTS"] == "1"

    /// Name and address of every page a learner can open.
    static let pages: [(name: String, uri: String)] = [
        ("home", "/"),
        ("topic-http", "/topics/http"),
        ("quiz-http", "/topics/http/quiz"),
        ("review", "/review"),
        ("labs", "/labs"),
        ("lab-http-basics", "/labs/http-basics"),
        ("sql-exercise-1", "/sql/1"),
        ("sql-practice", "/sql"),
        ("notes", "/notes"),
        ("search-etag", "/search?q=etag"),
        ("tokens", "/account/tokens"),
        ("not-found", "/no-such-page"),
    ]

    /// What differs on every request or every day: the token a page carries for its forms, and
    /// the times it shows (when a note was saved, a token made), as the pages format them, and the
    /// activity calendar, which is drawn back from today.
    static func normalized(_ html: String) -> String {
        html.replacing(/name="_csrf" value="[^"]*"/, with: #"name="_csrf" value="CSRF""#)
            .replacing(/<meta name="csrf-token" content="[^"]*">/, with: #"<meta name="csrf-token" content="CSRF">"#)
            .replacing(/(\d{1,2} [A-Z][a-z]{2} \d{4}|[A-Z][a-z]{2} \d{1,2}, \d{4})(,| at) \d{1,2}:\d{2}\s?[AP]M/, with: "DATE")
            .replacing(/<svg class="calendar"[\s\S]*?<\/svg>/, with: #"<svg class="calendar">(the last year, drawn from today)</svg>"#)
    }

    @Test("every page renders as its snapshot", arguments: pages.map(\.name))
    func page(name: String) async throws {
        let uri = try #require(Self.pages.first { $0.name == name }).uri
        try await TestApp.test { client, _ in
            // setup: a fixed history — one topic learnt, one done, a note
            _ = try await client.execute(
                uri: "/api/v1/progress/http", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"state":"done"}"#))
            _ = try await client.execute(
                uri: "/api/v1/progress/dns", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"state":"learning"}"#))
            _ = try await client.execute(
                uri: "/api/v1/notes/http", method: .put, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"text":"ETags: *weak* vs **strong**"}"#))
            // MUT
            let response = try await client.execute(uri: uri, method: .get)
            let html = Self.normalized(response.text)
            // validate
            let file = Self.folder.appendingPathComponent("\(name).html")
            if Self.updating {
                try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
                try html.write(to: file, atomically: true, encoding: .utf8)
                return
            }
            let recorded = try? String(contentsOf: file, encoding: .utf8)
            try #require(recorded != nil, "no snapshot of \(uri) at Tests/Snapshots/\(name).html: record it with GROUNDWORK_UPDATE_SNAPSHOTS=1")
            #expect(html == recorded, "\(uri) differs from Tests/Snapshots/\(name).html: \(Self.firstDifference(html, recorded ?? ""))")
        }
    }

    /// The first line that differs, with its number, so a failure says where to look.
    static func firstDifference(_ new: String, _ old: String) -> String {
        let newLines = new.split(separator: "\n", omittingEmptySubsequences: false)
        let oldLines = old.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(newLines.count, oldLines.count) {
            let a = index < newLines.count ? String(newLines[index]) : "(no line)"
            let b = index < oldLines.count ? String(oldLines[index]) : "(no line)"
            if a != b { return "line \(index + 1) is now\n  \(a)\nwas\n  \(b)" }
        }
        return "no line differs"
    }
}
