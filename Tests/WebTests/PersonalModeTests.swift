import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import TestSupport
import Testing
import Web

/// Personal mode: one implicit learner, no sign-in, but still protected from other websites.
@Suite("Personal mode pages and forms")
struct PersonalModeTests {
    @Test("the roadmap lists every stage with a progress bar, and every topic with its state")
    func roadmapPage() async throws {
        try await TestApp.test { client, _ in
            let response = try await client.execute(uri: "/", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            for title in [
                "Basics of coding", "Frameworks", "Advanced topics", "Additional tools", "Practice with real-world applications", "Creating a clone",
            ] {
                #expect(html.contains(title), "stage \(title) missing")
            }
            #expect(html.contains(#"<progress id="overall-progress""#))
            #expect(html.contains(#"href="/topics/http""#))
            #expect(html.contains("<main id=\"main\""))
            #expect(!html.contains("Sign in"))
        }
    }

    @Test("the roadmap counts each stage's topics by state, and mentions skipped topics only when there are some")
    func roadmapCounts() async throws {
        try await TestApp.test { client, _ in
            let before = try await client.execute(uri: "/", method: .get)
            #expect(!before.text.contains("skipped</label>"))
            // setup: through the API, as the page's own script does
            for (topic, state) in [("http", "done"), ("sql", "done"), ("git", "skipped"), ("cors", "learning")] {
                let put = try await client.execute(
                    uri: "/api/v1/progress/\(topic)", method: .put, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"state":"\#(state)"}"#))
                #expect(put.status == .ok)
            }
            // MUT
            let html = try await client.execute(uri: "/", method: .get).text
            // validate
            // A "pick one" group is one step: the topics outside groups, plus one per group.
            let roadmap = try TestApp.roadmap()
            func steps(_ topics: [Topic]) -> Int {
                topics.filter { roadmap.group(of: $0.id) == nil }.count + Set(topics.compactMap { roadmap.group(of: $0.id)?.id }).count
            }
            let basics = steps(roadmap.stage(id: "basics")!.topics)
            let all = steps(roadmap.topics)
            #expect(all == 77 - roadmap.groups.reduce(0) { $0 + $1.topicIDs.count } + roadmap.groups.count)
            #expect(html.contains("Overall: 2 of \(all) steps done, 1 skipped (\(200 / (all - 1))%)</label>"))
            #expect(html.contains(#"<label for="progress-basics" class="small">2 of \#(basics) steps done (\#(200 / (basics - 1))%)</label>"#))
            #expect(html.contains(#"<progress id="progress-basics" max="100" value="\#(200 / (basics - 1))">"#))
            #expect(html.contains(#"<li class="topic state-skipped">"#))
            #expect(html.contains(#"<li class="topic state-learning">"#))
            #expect(!html.contains("\u{1}"))  // every slot was filled
        }
    }

    @Test("a topic page shows the rendered lesson, the resources and the four state buttons")
    func topicPage() async throws {
        try await TestApp.test { client, _ in
            let response = try await client.execute(uri: "/topics/http", method: .get)
            #expect(response.status == .ok)
            let html = response.text
            #expect(html.contains("<h1 id=\"topic-title\">HTTP</h1>"))
            #expect(html.contains("<h2>"))  // Markdown headings became HTML
            #expect(html.contains("rel=\"noopener noreferrer\""))
            for state in ["todo", "learning", "done", "skipped"] {
                #expect(html.contains(#"name="state" value="\#(state)""#))
            }
        }
    }

    @Test("every topic of the shipped roadmap has a page that renders its lesson and resources")
    func everyTopicPageRenders() async throws {
        let topics = try TestApp.roadmap().topics
        try await TestApp.test { client, _ in
            for topic in topics {
                let response = try await client.execute(uri: "/topics/\(topic.id)", method: .get)
                #expect(response.status == .ok, "\(topic.id)")
                #expect(response.text.contains(topic.resources[0].url.replacingOccurrences(of: "&", with: "&amp;")), "\(topic.id)")
            }
        }
    }

    @Test("marking a topic done with a plain form post stores it and redirects back to the topic")
    func formPostChangesState() async throws {
        try await TestApp.test { client, database in
            // setup: a first visit sets the CSRF cookie the form echoes
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/topics/http", method: .get))
            let token = try #require(jar["gw_csrf"])
            // MUT
            let response = try await client.execute(
                uri: "/topics/http/progress", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", token), ("state", "done")])
            )
            // validate
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/topics/http")
            #expect(try await SQLProgressRepository(database: database).state(learnerID: "personal", topicID: "http") == .done)
            let page = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: jar.header])
            #expect(page.text.contains(#"value="done" aria-pressed="true""#))
            let roadmap = try await client.execute(uri: "/", method: .get)
            #expect(roadmap.text.contains("Overall: 1 of"))
        }
    }

    @Test("a form post without the CSRF token, or with a wrong one, is refused and changes nothing", arguments: [nil, "forged"])
    func csrfRejected(submitted: String?) async throws {
        try await TestApp.test { client, database in
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/", method: .get))
            var fields = [("state", "done")]
            if let submitted { fields.append(("_csrf", submitted)) }
            let response = try await client.execute(
                uri: "/topics/http/progress", method: .post, headers: formHeaders.with(.cookie, jar.header), body: formBody(fields)
            )
            #expect(response.status == .forbidden)
            #expect(response.text.contains("This form has expired or was sent from another site"))
            #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal").isEmpty)
        }
    }

    @Test("a post from another website's origin is refused even with a valid token")
    func crossOriginRefused() async throws {
        try await TestApp.test { client, database in
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/", method: .get))
            let token = try #require(jar["gw_csrf"])
            let response = try await client.execute(
                uri: "/topics/http/progress", method: .post,
                headers: formHeaders.with(.cookie, jar.header).with(.origin, "https://evil.example"),
                body: formBody([("_csrf", token), ("state", "done")])
            )
            #expect(response.status == .forbidden)
            #expect(try await SQLProgressRepository(database: database).states(learnerID: "personal").isEmpty)
        }
    }

    @Test("an unknown state in the form gets a 400 that lists the valid ones")
    func unknownStateInForm() async throws {
        try await TestApp.test { client, _ in
            var jar = CookieJar()
            jar.take(try await client.execute(uri: "/", method: .get))
            let response = try await client.execute(
                uri: "/topics/http/progress", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"]!), ("state", "finished")])
            )
            #expect(response.status == .badRequest)
            #expect(response.text.contains("one of todo, learning, done, skipped"))
        }
    }

    @Test("unknown pages get a helpful 404 page; a hostile path is escaped, never echoed as HTML")
    func notFoundPages() async throws {
        try await TestApp.test { client, _ in
            let missing = try await client.execute(uri: "/topics/no-such-topic", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("There is no topic &#39;no-such-topic&#39;"))
            #expect(missing.text.contains("Back to the roadmap"))

            let hostile = try await client.execute(uri: "/topics/%3Cscript%3Ealert(1)%3C%2Fscript%3E", method: .get)
            #expect(hostile.status == .notFound)
            #expect(!hostile.text.contains("<script>alert(1)</script>"))
            #expect(hostile.text.contains("There is no topic"))

            let nowhere = try await client.execute(uri: "/no/such/page", method: .get)
            #expect(nowhere.status == .notFound)
            #expect(nowhere.text.contains("There is nothing at /no/such/page"))
        }
    }

    @Test("every response carries the security headers")
    func securityHeaders() async throws {
        try await TestApp.test { client, _ in
            for uri in ["/", "/topics/http", "/nope", "/api/v1/roadmap"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            }
        }
    }

    @Test("the CSRF cookie is HttpOnly and SameSite=Lax")
    func csrfCookieFlags() async throws {
        try await TestApp.test { client, _ in
            let response = try await client.execute(uri: "/", method: .get)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("gw_csrf=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
        }
    }

    @Test("sign-in pages do not exist in personal mode")
    func noAccountsInPersonalMode() async throws {
        try await TestApp.test { client, _ in
            let signIn = try await client.execute(uri: "/signin", method: .get)
            let signUp = try await client.execute(uri: "/signup", method: .get)
            #expect(signIn.status == .notFound)
            #expect(signUp.status == .notFound)
        }
    }

    @Test("static files are served from Public/")
    func staticFiles() async throws {
        try await TestApp.test { client, _ in
            let css = try await client.execute(uri: "/css/groundwork.css", method: .get)
            #expect(css.status == .ok)
            #expect(css.text.contains("prefers-color-scheme: dark"))
        }
    }
}
