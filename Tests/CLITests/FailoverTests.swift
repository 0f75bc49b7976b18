import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SQLKit
import Storage
import TestSupport
import Testing

/// Team mode at scale: two instances on one PostgreSQL behind a real nginx (Debian's), one of
/// them killed with SIGKILL in the middle of a load of reads and writes from signed-in learners.
@Suite("Failover behind nginx", .serialized)
struct FailoverTests {
    /// Starts nginx (one worker, in the foreground, on 127.0.0.1) with `deploy/nginx.conf`, the
    /// configuration operators install, its upstream servers, port and static root replaced by
    /// the test's: the failover test exercises the shipped configuration, not a copy of it.
    static func startNginx(port: Int, upstreams: [Int], folder: String) throws -> Process {
        let site = try deployedNginxSite(port: port, upstreams: upstreams)
        let config = """
            worker_processes 1; daemon off; pid \(folder)/nginx.pid; error_log \(folder)/error.log;
            events { worker_connections 512; }
            http {
              include /etc/nginx/mime.types;
              access_log off;
              client_body_temp_path \(folder)/tmp; proxy_temp_path \(folder)/tmp; fastcgi_temp_path \(folder)/tmp;
              uwsgi_temp_path \(folder)/tmp; scgi_temp_path \(folder)/tmp;
            \(site)
            }
            """
        try FileManager.default.createDirectory(atPath: folder + "/tmp", withIntermediateDirectories: true)
        try config.write(toFile: folder + "/nginx.conf", atomically: true, encoding: .utf8)
        let nginx = Process()
        nginx.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        nginx.arguments = ["-c", folder + "/nginx.conf", "-p", folder]
        nginx.standardError = FileHandle.nullDevice
        try nginx.run()
        return nginx
    }

    /// `deploy/nginx.conf` with the test's upstreams (quick to be marked down: the test waits out
    /// `fail_timeout`), listening on `port` of 127.0.0.1 and serving this checkout's `Public/`.
    static func deployedNginxSite(port: Int, upstreams: [Int]) throws -> String {
        let path = GroundworkProcess.repositoryRoot.appendingPathComponent("deploy/nginx.conf")
        var lines: [String] = []
        var replaced: Set<String> = []
        for line in try String(contentsOf: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("server 127.0.0.1:") {
                replaced.insert("upstream servers")
            } else if text.hasPrefix("upstream groundwork {") {
                lines.append(String(line))
                lines += upstreams.map { "    server 127.0.0.1:\($0) max_fails=1 fail_timeout=2s;" }
            } else if text.hasPrefix("listen 80;") {
                lines.append("    listen 127.0.0.1:\(port);")
                replaced.insert("listen")
            } else if text.hasPrefix("root /srv/groundwork/Public;") {
                lines.append("        root \(GroundworkProcess.repositoryRoot.path)/Public;")
                replaced.insert("root")
            } else {
                lines.append(String(line))
            }
        }
        let expected: Set<String> = ["upstream servers", "listen", "root"]
        guard replaced == expected else {
            throw DeployedConfigurationChanged(missing: expected.subtracting(replaced).sorted())
        }
        return lines.joined(separator: "\n")
    }

    struct DeployedConfigurationChanged: Error, CustomStringConvertible {
        let missing: [String]
        var description: String { "deploy/nginx.conf no longer has the lines this test replaces: \(missing.joined(separator: ", "))" }
    }

    /// A learner's browser: its cookies, sent on every request. Redirects are not followed, so
    /// the cookie set by a 303 after sign-up is seen.
    struct Browser: Sendable {
        static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

        var cookies: [String: String] = [:]

        var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

        mutating func send(
            _ method: HTTPMethod, _ url: String, body: String? = nil, contentType: String? = nil,
            origin: String? = nil
        ) async throws -> Int {
            var request = HTTPClientRequest(url: url)
            request.method = method
            if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookieHeader) }
            if let origin { request.headers.add(name: "Origin", value: origin) }
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await Self.client.execute(request, timeout: .seconds(5))
            for header in response.headers["Set-Cookie"] {
                let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
            }
            _ = try await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        }
    }

    @Test("an instance killed mid-load loses no acknowledged write; sessions go on through the survivor; it rejoins")
    func killOneInstance() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") else {
            Issue.record("nginx is not installed: apt-get install nginx (.ci/run does)")
            return
        }
        try await TestDatabase.with(.postgres) { database in
            // setup: two instances, nginx in front, three signed-in learners
            let folder = ServeCommandTests.temporaryFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let ports = [try GroundworkProcess.freePort(), try GroundworkProcess.freePort()]
            let proxyPort = try GroundworkProcess.freePort()
            let arguments = { (port: Int) in
                ["serve", "--mode", "team", "--port", "\(port)", "--database", database.postgresConnectionURL!, "--trust-proxy", "--sign-up", "open"]
            }
            var instances = try ports.map { try GroundworkProcess(arguments($0)) }
            for (instance, port) in zip(instances, ports) { try await instance.waitUntilServing("http://127.0.0.1:\(port)/ready") }
            let nginx = try Self.startNginx(port: proxyPort, upstreams: ports, folder: folder + "/nginx")
            defer { nginx.terminate() }
            let base = "http://127.0.0.1:\(proxyPort)"
            var learners: [Browser] = []
            for index in 0..<3 {
                var browser = Browser()
                for _ in 0..<50 where (try? await browser.send(.GET, base + "/signup")) != 200 { try await Task.sleep(for: .milliseconds(100)) }
                let form = "_csrf=\(browser.cookies["gw_csrf"] ?? "")&email=learner\(index)%40example.org&password=correct+horse+battery"
                // A browser sends the page's origin, port included (nginx listens on a non-default
                // port): the instance sees it match the Host nginx passes on only with $http_host.
                #expect(
                    try await browser.send(
                        .POST, base + "/signup", body: form, contentType: "application/x-www-form-urlencoded",
                        origin: base) == 303)
                #expect(
                    try await browser.send(
                        .POST, base + "/signin", body: form, contentType: "application/x-www-form-urlencoded",
                        origin: base) == 303)
                learners.append(browser)
            }
            let topics = ["http", "sql", "git", "cors", "redis", "docker", "nginx", "rest", "json", "indexes", "orm", "cqrs"]
            let states = ["learning", "done", "skipped", "todo"]

            // MUT: reads and writes for three seconds; instance 1 is killed after one
            let acknowledged = LockedDictionary()
            let signedIn = learners
            let load = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (index, learner) in signedIn.enumerated() {
                        group.addTask {
                            var browser = learner
                            let mine = topics.enumerated().filter { $0.offset % 3 == index }.map(\.element)
                            let end = ContinuousClock.now + .seconds(3)
                            var round = 0
                            while ContinuousClock.now < end {
                                let topic = mine[round % mine.count]
                                let state = states[round % states.count]
                                round += 1
                                _ = try? await browser.send(.GET, base + "/")
                                acknowledged.sending("\(index)/\(topic)", state)
                                if let status = try? await browser.send(
                                    .PUT, base + "/api/v1/progress/\(topic)", body: #"{"state":"\#(state)"}"#,
                                    contentType: "application/json"), (200..<300).contains(status)
                                {
                                    acknowledged.acknowledged("\(index)/\(topic)", state)
                                }
                            }
                        }
                    }
                }
            }
            try await Task.sleep(for: .seconds(1))
            kill(instances[0].process.processIdentifier, SIGKILL)
            let acknowledgedBeforeKill = acknowledged.acknowledgedCount
            await load.value
            // The failover itself: writes went on being acknowledged, through the survivor.
            #expect(
                acknowledged.acknowledgedCount - acknowledgedBeforeKill >= 10,
                "only \(acknowledged.acknowledgedCount - acknowledgedBeforeKill) writes were acknowledged after the kill")

            // validate: every acknowledged write is in the database
            let (expected, unanswered) = acknowledged.states()
            #expect(expected.count >= 6)
            let rows = try await database.use { db in
                try await db.withSQL { sql in
                    try await sql.raw(
                        "SELECT users.email, progress.topic_id, progress.state FROM progress JOIN users ON users.id = progress.learner_id"
                    ).all()
                }
            }
            var stored: [String: String] = [:]
            for row in rows {
                let email = try row.decode(column: "email", as: String.self)
                let index = email.dropFirst("learner".count).prefix { $0.isNumber }
                stored["\(index)/\(try row.decode(column: "topic_id", as: String.self))"] = try row.decode(column: "state", as: String.self)
            }
            for (key, state) in expected {
                // stored is the acknowledged state, or a later one that was sent but not answered; never nothing
                #expect(
                    stored[key] != nil && [state, unanswered[key]].contains(stored[key]),
                    "\(key): acknowledged \(state), stored \(stored[key] ?? "nothing")")
            }

            // Sessions keep working through the survivor.
            for var learner in learners {
                #expect(try await learner.send(.GET, base + "/api/v1/progress") == 200)
            }

            // The killed instance restarts and takes requests again.
            instances[0] = try GroundworkProcess(arguments(ports[0]))
            try await instances[0].waitUntilServing("http://127.0.0.1:\(ports[0])/ready")
            try await Task.sleep(for: .seconds(2))  // nginx's fail_timeout for the instance runs out
            for _ in 0..<20 {
                var learner = learners[0]
                #expect(try await learner.send(.GET, base + "/") == 200)
            }
            let metrics = try await GroundworkProcess.get("http://127.0.0.1:\(ports[0])/metrics").body
            #expect(metrics.contains(#"route="/",status="200""#), "the restarted instance got no roadmap request through nginx")
            for instance in instances { instance.process.terminate() }
            for instance in instances { _ = try? await instance.waitForExit(timeout: .seconds(20)) }
        }
    }
}
