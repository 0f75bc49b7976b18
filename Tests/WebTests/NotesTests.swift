import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import Storage
import TestSupport
import Testing
import Web

/// Notes as a learner meets them: the box on every topic page (a plain form, no JavaScript
/// needed), the `/notes` page, the API, the 64 KB limit, and notes that are the author's alone.
@Suite("Notes")
struct NotesTests {
    static func put(_ client: any TestClientProtocol, _ topic: String, _ text: String, cookies: String? = nil) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["text": text])
        var headers = jsonHeaders
        if let cookies { headers[.cookie] = cookies }
        return try await client.execute(uri: "/api/v1/notes/\(topic)", method: .put, headers: headers, body: ByteBuffer(bytes: body))
    }

    @Test("a note saved with the topic page's form shows on the page, rendered, and on /notes", arguments: DatabaseKind.allCases)
    func formSave(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, _ in
            // setup: a first visit sets the CSRF cookie the form echoes
            var jar = CookieJar()
            let empty = try await client.execute(uri: "/topics/http", method: .get)
            jar.take(empty)
            #expect(empty.text.contains(#"action="/topics/http/note""#))
            #expect(empty.text.contains("Not saved yet."))
            // MUT
            let saved = try await client.execute(
                uri: "/topics/http/note", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("text", "GET is *safe*; see [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110)")])
            )
            // validate
            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/topics/http#note")
            let page = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: jar.header])
            #expect(page.text.contains("GET is *safe*; see [RFC 9110](https://www.rfc-editor.org/rfc/rfc9110)</textarea>"))
            let rendered = #"GET is <em>safe</em>; see <a href="https://www.rfc-editor.org/rfc/rfc9110" rel="nofollow noopener noreferrer">"#
            #expect(page.text.contains(rendered))
            let notes = try await client.execute(uri: "/notes", method: .get)
            #expect(notes.text.contains(#"<a href="/topics/http#note">"#))
            #expect(notes.text.contains("GET is *safe*"))
        }
    }

    @Test("the API writes, reads, lists newest first and deletes; blank text deletes the note")
    func api() async throws {
        try await TestApp.test { client, _ in
            #expect(try await Self.put(client, "http", "first").status == .ok)
            let second = try await Self.put(client, "redis", "`ETag` **strong**")
            #expect(second.status == .ok)
            #expect(try second.json()["html"] as? String == "<p><code>ETag</code> <strong>strong</strong></p>\n")

            let list = try await client.execute(uri: "/api/v1/notes", method: .get)
            let topics = (try list.json()["notes"] as? [[String: Any]])?.compactMap { $0["topicId"] as? String }
            #expect(topics == ["redis", "http"])

            let one = try await client.execute(uri: "/api/v1/notes/http", method: .get)
            #expect(try one.json()["text"] as? String == "first")

            #expect(try await Self.put(client, "http", "  \n ").status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/notes/http", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/notes/redis", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/notes/redis", method: .delete).status == .notFound)
            #expect((try await client.execute(uri: "/api/v1/notes", method: .get).json()["notes"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("a topic that does not exist has no note: 404 on every route")
    func unknownTopic() async throws {
        try await TestApp.test { client, _ in
            let put = try await Self.put(client, "no-such-topic", "x")
            #expect(put.status == .notFound)
            #expect(try put.json()["detail"] as? String == "There is no topic 'no-such-topic'. GET /api/v1/roadmap lists every topic id.")
            #expect(try await client.execute(uri: "/api/v1/notes/no-such-topic", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/notes/no-such-topic", method: .delete).status == .notFound)
            #expect(try await client.execute(uri: "/topics/no-such-topic/note", method: .get).status == .notFound)
        }
    }

    @Test("a note over 64 KB is refused with the sizes; the form keeps what was typed", arguments: DatabaseKind.allCases)
    func sizeLimit(kind: DatabaseKind) async throws {
        try await TestApp.test(on: kind) { client, database in
            // At the limit exactly (multi-byte characters count as their UTF-8 bytes) it is kept.
            let atLimit = String(repeating: "é", count: NoteRules.maxBytes / 2)
            #expect(try await Self.put(client, "http", atLimit).status == .ok)

            let over = try await Self.put(client, "http", atLimit + "x")
            #expect(over.status == .contentTooLarge)
            let detail = try over.json()["detail"] as? String ?? ""
            #expect(detail.contains("at most 64 KB"))
            #expect(try await SQLNoteRepository(database: database).note(learnerID: "personal", topicID: "http")?.text == atLimit)

            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/topics/redis", method: .get))
            let draft = String(repeating: "a", count: 70_000)
            let form = try await client.execute(
                uri: "/topics/redis/note", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("text", draft)])
            )
            #expect(form.status == .contentTooLarge)
            #expect(form.text.contains("Your note is 68.4 KB; a note holds at most 64 KB"))
            #expect(form.text.contains(draft + "</textarea>"))
            #expect(try await SQLNoteRepository(database: database).note(learnerID: "personal", topicID: "redis") == nil)
        }
    }

    @Test("hostile notes are stored as typed and shown as text, never as markup; a 10 MB body and NUL are refused")
    func hostileCorpus() async throws {
        let corpus = [
            "<script>alert(document.cookie)</script>",
            "<img src=x onerror=alert(1)>",
            #"<a href="javascript:alert(1)">click</a>"#,
            "[click](javascript:alert(1))",
            "[click](  javascript:alert(1))",
            #"[x](https://ok.example/" onclick="alert(1))"#,
            "<svg onload=alert(1)>",
            "```\n</code></pre><script>alert(1)</script>\n```",
            "`</code><script>alert(1)</script>`",
            "*<b onmouseover=alert(1)>*",
            "\u{1}0\u{1}",
        ]
        try await TestApp.test { client, _ in
            for text in corpus {
                let put = try await Self.put(client, "http", text)
                #expect(put.status == .ok, "\(text)")
                #expect(try put.json()["text"] as? String == text)
                let page = try await client.execute(uri: "/topics/http", method: .get)
                let note = try #require(page.text.components(separatedBy: #"id="note""#).last?.components(separatedBy: "</section>").first)
                for forbidden in ["<script", "<img", "<svg", "<b ", "javascript:alert(1)\"", "href=\"javascript", " onclick=\""] {
                    #expect(!note.contains(forbidden), "\(text) showed \(forbidden)")
                }
            }

            let huge = try await Self.put(client, "redis", String(repeating: "a", count: 10 * 1024 * 1024))
            #expect(huge.status == .contentTooLarge)
            let nul = try await Self.put(client, "redis", "a\u{0}b")
            #expect(nul.status == .unprocessableContent)
            #expect(try await client.execute(uri: "/api/v1/notes/redis", method: .get).status == .notFound)
        }
    }

    @Test("in team mode a note is its author's alone: another learner gets 404 and sees none", arguments: DatabaseKind.allCases)
    func authorOnly(kind: DatabaseKind) async throws {
        try await TestApp.test(.team, on: kind) { client, _ in
            // setup
            let (_, ada) = try await TeamModeTests.signUp(client)
            let (_, bob) = try await TeamModeTests.signUp(client, email: "bob@example.org")
            #expect(try await Self.put(client, "http", "Ada's private note", cookies: ada.header).status == .ok)
            // MUT + validate: Bob, by every route
            #expect(try await client.execute(uri: "/api/v1/notes/http", method: .get, headers: [.cookie: bob.header]).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/notes/http", method: .delete, headers: [.cookie: bob.header]).status == .notFound)
            let list = try await client.execute(uri: "/api/v1/notes", method: .get, headers: [.cookie: bob.header])
            #expect((try list.json()["notes"] as? [Any])?.isEmpty == true)
            let page = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: bob.header])
            #expect(!page.text.contains("Ada&#39;s private note"))
            #expect(!(try await client.execute(uri: "/notes", method: .get, headers: [.cookie: bob.header])).text.contains("Ada&#39;s private note"))
            // Visitors are sent to sign in; the API wants credentials.
            #expect(try await client.execute(uri: "/api/v1/notes", method: .get).status == .unauthorized)
            #expect(try await client.execute(uri: "/notes", method: .get).status == .seeOther)
            // Ada still has hers.
            let hers = try await client.execute(uri: "/api/v1/notes/http", method: .get, headers: [.cookie: ada.header])
            #expect(try hers.json()["text"] as? String == "Ada's private note")
            let adasPage = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: ada.header])
            #expect(adasPage.text.contains("Ada&#39;s private note"))
        }
    }
}
