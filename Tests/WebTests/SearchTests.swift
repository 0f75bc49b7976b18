import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing

@testable import Web

/// Search as a learner uses it: a word from a lesson, a lab brief, an SQL exercise or their own
/// note finds it, highlighted; another learner's notes never show; no query is an error.
@Suite("Search")
struct SearchTests {
    static func search(_ client: any TestClientProtocol, _ query: String, cookies: String? = nil) async throws -> (TestResponse, [[String: Any]]) {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let uri = "/api/v1/search?q=" + query.addingPercentEncoding(withAllowedCharacters: allowed)!
        let response = try await client.execute(uri: uri, method: .get, headers: cookies.map { [.cookie: $0] } ?? [:])
        return (response, try response.json()["results"] as? [[String: Any]] ?? [])
    }

    static func ids(_ results: [[String: Any]], kind: String) -> [String] {
        results.filter { $0["kind"] as? String == kind }.compactMap { $0["id"] as? String }
    }

    @Test(
        "a word from a lesson, a lab brief, an SQL exercise and the learner's note is found, highlighted",
        arguments: DatabaseKind.allCases)
    func findsEveryKind(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, _ in
            // setup
            let note = try await NotesTests.put(client, "redis", "Remember Zanzibar when the cache is cold")
            #expect(note.status == .ok)
            // MUT + validate: words that appear only in the body, never in the title
            let (lesson, lessons) = try await Self.search(client, "hypertext")
            #expect(lesson.status == .ok)
            #expect(Self.ids(lessons, kind: "topic").contains("http"))
            let http = try #require(lessons.first { $0["id"] as? String == "http" })
            #expect((http["snippetHtml"] as? String)?.lowercased().contains("<mark>hypertext</mark>") == true)
            #expect(http["url"] as? String == "/topics/http")

            #expect(Self.ids(try await Self.search(client, "hexdigest").1, kind: "lab").contains("async-jobs"))
            #expect(Self.ids(try await Self.search(client, "apostrophe").1, kind: "exercise").contains("irish-and-scottish-names"))

            let (_, notes) = try await Self.search(client, "zanzibar")
            #expect(Self.ids(notes, kind: "note") == ["redis"])
            #expect(notes.first?["snippetHtml"] as? String == "Remember <mark>Zanzibar</mark> when the cache is cold")
            #expect(notes.first?["url"] as? String == "/topics/redis#note")
        }
    }

    @Test("a note is findable as soon as it changes, and no longer once it is deleted", arguments: DatabaseKind.allCases)
    func notesKeptCurrent(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, _ in
            _ = try await NotesTests.put(client, "http", "quokka")
            _ = try await NotesTests.put(client, "http", "wombat")
            #expect(Self.ids(try await Self.search(client, "quokka").1, kind: "note").isEmpty)
            #expect(Self.ids(try await Self.search(client, "wombat").1, kind: "note") == ["http"])
            #expect(try await client.execute(uri: "/api/v1/notes/http", method: .delete).status == .noContent)
            #expect(Self.ids(try await Self.search(client, "wombat").1, kind: "note").isEmpty)
        }
    }

    @Test("one learner's notes never appear in another's results", arguments: DatabaseKind.allCases)
    func notesStayPrivate(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, _ in
            // setup
            let (_, ada) = try await TeamModeTests.signUp(client)
            let (_, bob) = try await TeamModeTests.signUp(client, email: "bob@example.org")
            #expect(try await NotesTests.put(client, "http", "Ada's zanzibar plan", cookies: ada.header).status == .ok)
            // MUT + validate
            #expect(Self.ids(try await Self.search(client, "zanzibar", cookies: ada.header).1, kind: "note") == ["http"])
            let (bobs, bobResults) = try await Self.search(client, "zanzibar", cookies: bob.header)
            #expect(bobs.status == .ok)
            #expect(bobResults.isEmpty)
            #expect(try await Self.search(client, "zanzibar").1.isEmpty)
            let page = try await client.execute(uri: "/search?q=zanzibar", method: .get, headers: [.cookie: bob.header])
            #expect(!page.text.contains("Ada&#39;s"))
            #expect(page.text.contains("Nothing matches"))
        }
    }

    @Test("operators, quotes and stray punctuation are words: never an error", arguments: DatabaseKind.allCases)
    func hostileQueries(kind: DatabaseKind) async throws {
        let queries = [
            "\"", "AND OR NOT (", "*", "-", "\"unclosed phrase", "NEAR(http", "http*", "-http", "a:b", "^caching", "col:http",
            "')); DROP TABLE notes; --", "", "   ", String(repeating: "http ", count: 500), "ünïcödé 日本語", "{}[]\\",
        ]
        try await TestApp.test(on: kind) { client, _ in
            for query in queries {
                let (response, _) = try await Self.search(client, query)
                #expect(response.status == .ok, "\(query.prefix(40)) answered \(response.status)")
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let page = try await client.execute(uri: "/search?q=" + encoded, method: .get)
                #expect(page.status == .ok, "the page for \(query.prefix(40)) answered \(page.status)")
            }
            // A punctuated query still finds by its words.
            #expect(Self.ids(try await Self.search(client, "\"hypertext\" AND (").1, kind: "topic").contains("http"))
        }
    }

    @Test("the results page links each result and shows a note's text escaped, with matches marked")
    func resultsPage() async throws {
        try await TestApp.test { client, _ in
            _ = try await NotesTests.put(client, "http", "<script>alert('zanzibar')</script>")
            let page = try await client.execute(uri: "/search?q=zanzibar", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains(#"<a href="/topics/http#note">"#))
            #expect(page.text.contains("&lt;script&gt;alert(&#39;<mark>zanzibar</mark>&#39;)&lt;/script&gt;"))
            #expect(!page.text.contains("<script>alert"))
            #expect(page.text.contains(#"id="site-search""#))
        }
    }
}

/// What the index holds for a rendered lesson: its words, never its markup.
@Suite("Search text")
struct SearchTextTests {
    @Test("tags become spaces, the entities Markdown writes are decoded, white space is collapsed")
    func plainText() {
        let html = "<p>Use <code>ETag</code>&nbsp;and <em>If-None-Match</em>:</p>\n\n<pre>a &lt;b&gt; &amp;&amp; &quot;c&quot; &#39;d&#x27;</pre>"
        #expect(SearchText.plain(html: html) == "Use ETag and If-None-Match : a <b> && \"c\" 'd'")
    }

    @Test("an ampersand that starts no known entity stays as written")
    func unknownEntities() {
        #expect(SearchText.plain(html: "R&D; fish &chips &unknown; x&") == "R&D; fish &chips &unknown; x&")
    }
}
