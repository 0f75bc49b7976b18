import Curriculum
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Learning
import NIOCore
import Storage
import TestSupport
import Testing

@testable import Web

/// What every page's frame shows (where you are, the reviews waiting, a message after signing in
/// or out), the activity calendar, asking before a token is revoked, and the labs along the path.
@Suite("Navigation, messages, activity and labs along the path")
struct NavigationTests {
    static let day: Int64 = 86_400

    static func nav(_ html: String) throws -> String {
        String(try #require(html.firstMatch(of: /<nav aria-label="Main">[\s\S]*?<\/nav>/)).0)
    }

    @Test("the navigation marks the current page, and a section's inner pages")
    func currentPage() async throws {
        try await TestApp.test { client, _ in
            let labs = try Self.nav(try await client.execute(uri: "/labs", method: .get).text)
            #expect(labs.contains(#"<a href="/labs" aria-current="page">Labs</a>"#))
            #expect(labs.matches(of: /aria-current/).count == 1)
            #expect(labs.contains(#"<a href="/review">Review</a>"#), "no count when nothing is due")
            let lab = try Self.nav(try await client.execute(uri: "/labs/http-basics", method: .get).text)
            #expect(lab.contains(#"<a href="/labs" aria-current="true">Labs</a>"#))
            let home = try Self.nav(try await client.execute(uri: "/", method: .get).text)
            #expect(home.contains(#"<a href="/" aria-current="page">Roadmap</a>"#))
            let topic = try Self.nav(try await client.execute(uri: "/topics/http", method: .get).text)
            #expect(topic.contains(#"<a href="/" aria-current="true">Roadmap</a>"#))
            let sql = try Self.nav(try await client.execute(uri: "/sql", method: .get).text)
            #expect(sql.contains(#"<a href="/sql" aria-current="page">SQL practice</a>"#))
        }
    }

    @Test(
        "the questions due for review are counted in the navigation of every page",
        arguments: DatabaseKind.allCases)
    func reviewCount(kind: DatabaseKind) async throws {
        let http = try #require(try TestApp.roadmap().topic(id: "http"))
        try await TestApp.test(on: kind) { client, database in
            // setup: two questions missed two days ago (written straight to the database, before any page is read)
            let answers = [0, 1].map { QuizAnswer(questionIndex: $0, promptHash: http.quiz[$0].promptHash, isCorrect: false) }
            _ = try await SQLQuizRepository(database: database).recordAttempt(
                learnerID: "personal", topicID: "http", answers: answers, now: WallClock.nowSeconds() - 2 * Self.day)
            // MUT / validate: every kind of page shows the count
            let badge = #"Review <span class="count">2<span class="visually-hidden"> questions due</span></span></a>"#
            for page in ["/", "/labs", "/topics/git", "/notes"] {
                let nav = try Self.nav(try await client.execute(uri: page, method: .get).text)
                #expect(nav.contains(badge), "the count on \(page)")
            }
        }
    }

    @Test("signing up, in and out each leave a message on the next page, shown once; a forged message name shows nothing")
    func messages() async throws {
        try await TestApp.test(.team) { client, _ in
            // Sign-up leads to the sign-in page, which says what happened (the same words whether or
            // not the address was new); signing in leaves its message on the page after.
            var (signedUp, jar) = try await TeamModeTests.signUp(client)
            #expect(signedUp.status == .seeOther || signedUp.status == .found)
            let next = try #require(signedUp.headers[.location])
            #expect(next == "/signin?notice=signed-up")
            let signInPage = try await client.execute(uri: next, method: .get, headers: [.cookie: jar.header])
            #expect(signInPage.text.contains("If that address was new, its account is ready"))
            #expect(jar["gw_flash"] == "signed-in")
            let home = try await client.execute(uri: "/", method: .get, headers: [.cookie: jar.header])
            #expect(home.text.contains(#"<p class="flash" role="status">You are signed in."#))
            #expect(home.headers[values: .setCookie].contains { $0.hasPrefix("gw_flash=;") }, "shown once: the cookie is cleared")
            jar.take(home)
            let again = try await client.execute(uri: "/", method: .get, headers: [.cookie: jar.header])
            #expect(!again.text.contains("class=\"flash\""))

            let out = try await client.execute(
                uri: "/signout", method: .post, headers: formHeaders.with(.cookie, jar.header), body: formBody([("_csrf", jar["gw_csrf"] ?? "")]))
            #expect(out.headers[values: .setCookie].contains { $0.hasPrefix("gw_flash=signed-out;") })
            let afterOut = try await client.execute(uri: "/labs", method: .get, headers: [.cookie: "gw_flash=signed-out"])
            #expect(afterOut.text.contains("You are signed out."))

            var fresh = CookieJar()
            fresh.take(try await client.execute(uri: "/signin", method: .get))
            let signedIn = try await TeamModeTests.signIn(client, jar: &fresh, email: "ada@example.org", password: "correct horse battery")
            #expect(signedIn.headers[values: .setCookie].contains { $0.hasPrefix("gw_flash=signed-in;") })
            let topic = try await client.execute(uri: "/topics/http", method: .get, headers: [.cookie: fresh.header + "; gw_flash=signed-in"])
            #expect(topic.text.contains(#"<p class="flash" role="status">You are signed in.</p>"#))

            for forged in ["<script>alert(1)</script>", "signed-in%00", String(repeating: "x", count: 3000)] {
                let page = try await client.execute(uri: "/labs", method: .get, headers: [.cookie: "gw_flash=\(forged)"])
                #expect(page.status == .ok)
                #expect(!page.text.contains("class=\"flash\""))
                #expect(!page.text.contains("<script>alert"))
            }
        }
    }

    @Test("revoking a token asks first; only the confirmed form revokes it")
    func revokeAsksFirst() async throws {
        try await TestApp.test { client, _ in
            let created = try await client.execute(
                uri: "/api/v1/tokens", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"laptop"}"#))
            let secret = try #require(try created.json()["secret"] as? String)
            let id = try #require((try created.json()["token"] as? [String: Any])?["id"] as? String)
            var jar = CookieJar()
            let list = try await client.execute(uri: "/account/tokens", method: .get)
            jar.take(list)
            #expect(list.text.contains(#"href="/account/tokens/\#(id)/revoke""#))
            // MUT: the page behind the link, then a form sent without confirming
            let confirm = try await client.execute(uri: "/account/tokens/\(id)/revoke", method: .get, headers: [.cookie: jar.header])
            #expect(confirm.status == .ok)
            #expect(confirm.text.contains("Revoke the token “laptop”?"))
            let unconfirmed = try await client.execute(
                uri: "/account/tokens/\(id)/revoke", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? "")]))
            #expect(unconfirmed.status == .ok)
            let still = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(still.status == .ok, "not revoked without confirming")
            // MUT: confirmed
            let confirmed = try await client.execute(
                uri: "/account/tokens/\(id)/revoke", method: .post, headers: formHeaders.with(.cookie, jar.header),
                body: formBody([("_csrf", jar["gw_csrf"] ?? ""), ("confirm", "yes")]))
            #expect(confirmed.status == .seeOther || confirmed.status == .found)
            let gone = try await client.execute(uri: "/api/v1/progress", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(gone.status == .unauthorized)
            let unknown = try await client.execute(uri: "/account/tokens/nope%3Cb%3E/revoke", method: .get)
            #expect(unknown.status == .notFound)
            #expect(!unknown.text.contains("nope<b>"))
        }
    }

    @Test("the roadmap shows a year of activity from what was stored", arguments: DatabaseKind.allCases)
    func activityCalendar(kind: DatabaseKind) async throws {
        let http = try #require(try TestApp.roadmap().topic(id: "http"))
        try await TestApp.test(on: kind) { client, database in
            let empty = try await client.execute(uri: "/", method: .get).text
            #expect(empty.contains("Nothing yet: what you do from today on shows here."))
            #expect(empty.matches(of: /<rect x="\d+" y="\d+" width="11" height="11" class="d0"\/>/).count >= 365)
            // setup: a quiz of three questions three days ago; a state changed today
            let answers = (0..<3).map { QuizAnswer(questionIndex: $0, promptHash: http.quiz[$0].promptHash, isCorrect: true) }
            _ = try await SQLQuizRepository(database: database).recordAttempt(
                learnerID: "personal", topicID: "http", answers: answers, now: WallClock.nowSeconds() - 3 * Self.day)
            try await RoadmapDiagramTests.put(client, "http", "learning")
            // MUT
            let html = try await client.execute(uri: "/", method: .get).text
            // validate
            #expect(html.contains("2 active days in the last year; longest streak 1 day, current streak 1 day."))
            #expect(html.matches(of: /class="d2"\/>/).count == 2, "three things one day (shade 2) and the legend's square")
            #expect(html.matches(of: /class="d1"\/>/).count == 2, "one thing today (shade 1) and the legend's square")
        }
    }

    @Test("the labs page says what to learn first; a lab page lists its stages with an overall bar from the best run")
    func labsAlongThePath() async throws {
        let report = try await LabRunAPITests.report()
        try await LabPagesTests.app(on: .sqlite) { client, _ in
            try await RoadmapDiagramTests.put(client, "how-the-internet-works", "done")
            let labs = try await client.execute(uri: "/labs", method: .get).text
            #expect(
                labs.contains(
                    #"Learn first: <a href="/topics/how-the-internet-works">How the internet works</a> <span class="badge state-done">done</span>"#))
            #expect(labs.contains("<strong>Start here</strong>"))
            let before = try await client.execute(uri: "/labs/http-basics", method: .get).text
            #expect(before.contains("Not run yet: 0 of 6 stages passed"))
            #expect(before.contains(#"<progress id="stage-bar" max="6" value="0">"#))
            #expect(before.matches(of: /<li class="stage-state s-open" data-stage="\d">/).count == 6)
            #expect(before.contains("<details>\n    <summary>") || !before.contains("section class=\"history\""))
            // MUT
            #expect(try await LabRunAPITests.upload(client, report).status == .created)
            // validate
            let after = try await client.execute(uri: "/labs/http-basics", method: .get).text
            #expect(after.contains("Passed: all 6 stages"))
            #expect(after.matches(of: /<li class="stage-state s-passed" data-stage="\d">/).count == 6)
            #expect(after.contains(#"<section class="history""#) && after.contains("<details>"))
        }
    }
}
