import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// What `deploy/` ships, checked as far as these machines allow (no Docker engine runs here):
/// the nginx configuration through a real nginx, and the Dockerfile, compose file, ignore file and
/// systemd units against what they must agree with.
@Suite("deploy/", .serialized)
struct DeployTests {
    static let root = GroundworkProcess.repositoryRoot

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    @Test("through the shipped nginx: static files carry one Cache-Control, HSTS and one nosniff; pages too; /metrics is not public")
    func nginxHeaders() async throws {
        // setup: one instance behind deploy/nginx.conf
        let folder = ServeCommandTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = try GroundworkProcess.freePort()
        let proxyPort = try GroundworkProcess.freePort()
        let server = try GroundworkProcess(["serve", "--port", "\(port)", "--data", folder + "/data"])
        try await server.waitUntilServing("http://127.0.0.1:\(port)/health")
        let nginx = try FailoverTests.startNginx(port: proxyPort, upstreams: [port], folder: folder + "/nginx")
        defer { nginx.terminate() }
        let base = "http://127.0.0.1:\(proxyPort)"
        var css: HTTPClientResponse?
        for _ in 0..<50 {
            if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/css/groundwork.css"), timeout: .seconds(5)),
                response.status == .ok
            {
                css = response
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }

        // validate
        let staticFile = try #require(css, "nginx did not serve /css/groundwork.css")
        #expect(staticFile.headers["Cache-Control"] == ["max-age=3600"])
        #expect(staticFile.headers["Strict-Transport-Security"] == ["max-age=31536000"])
        #expect(staticFile.headers["X-Content-Type-Options"] == ["nosniff"])
        let page = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/"), timeout: .seconds(5))
        #expect(page.status == .ok)
        #expect(page.headers["X-Content-Type-Options"] == ["nosniff"])
        #expect(page.headers["Strict-Transport-Security"] == ["max-age=31536000"])
        #expect(page.headers["Cache-Control"].count <= 1)
        let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/metrics"), timeout: .seconds(5))
        #expect(metrics.status == .notFound)
        #expect(try await GroundworkProcess.get("http://127.0.0.1:\(port)/metrics").status == 200)  // the instance still has it
        server.process.terminate()
        _ = try await server.waitForExit(timeout: .seconds(20))
    }

    @Test("compose-nginx.conf is deploy/nginx.conf but for the compose upstreams and server name")
    func composeNginxMatches() throws {
        func body(_ text: String) -> [String] {
            text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.hasPrefix("#") && !$0.contains("server_name") && !$0.hasPrefix("    server ") }
                .drop { $0.isEmpty }.map { $0 }
        }
        #expect(body(try Self.read("deploy/nginx.conf")) == body(try Self.read("deploy/compose-nginx.conf")))
        for file in ["deploy/nginx.conf", "deploy/compose-nginx.conf"] {
            let text = try Self.read(file)
            #expect(text.contains("proxy_set_header Host $http_host;"), "\(file)")
            #expect(!text.contains("$host;"), "\(file) passes $host, which drops the port")
        }
    }

    @Test("the Dockerfile's Swift can build every dependency (their swift-tools-version)")
    func dockerSwiftVersion() throws {
        let dockerfile = try Self.read("deploy/Dockerfile")
        let images = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM swift:") }
        #expect(images.count == 2)
        func version(_ text: Substring) -> [Int] { text.split(separator: ".").compactMap { Int($0) } }
        let checkouts = Self.root.appendingPathComponent(".build/checkouts").path
        let packages = try FileManager.default.contentsOfDirectory(atPath: checkouts)
        #expect(packages.count > 10, "no resolved dependencies in \(checkouts): build first")
        var needed = version(try Self.read("Package.swift").prefix { $0 != "\n" }.split(separator: ":").last ?? "")
        for package in packages {
            let manifest = (try? String(contentsOfFile: "\(checkouts)/\(package)/Package.swift", encoding: .utf8)) ?? ""
            let first = manifest.prefix { $0 != "\n" }
            guard let tools = first.range(of: "swift-tools-version:") else { continue }
            let declared = version(first[tools.upperBound...].trimmingCharacters(in: .whitespaces)[...])
            if declared.lexicographicallyPrecedes(needed) == false { needed = declared }
        }
        for image in images {
            let tag = image.dropFirst("FROM swift:".count).prefix { $0 != "-" && $0 != " " }
            #expect(!version(tag).lexicographicallyPrecedes(needed), "\(image) is older than swift-tools-version \(needed)")
        }
        let readme = try Self.read("README.md")
        let stated = "Swift \(needed.prefix(2).map(String.init).joined(separator: ".")) or newer"
        #expect(readme.contains(stated), "the README should say \(stated)")
    }

    @Test(".dockerignore keeps builds and data out of the build context")
    func dockerIgnore() throws {
        let ignored = Set(try Self.read(".dockerignore").split(separator: "\n").map { String($0) })
        for entry in [".build", ".git", ".groundwork", "screenshots"] {
            #expect(ignored.contains(entry), "\(entry) is not in .dockerignore")
        }
        for needed in ["Sources", "Content", "Public", "Package.swift", "Tests"] {
            #expect(!ignored.contains(needed), "the Dockerfile copies \(needed)")
        }
    }

    @Test("compose: every service restarts; the commands it runs and documents exist")
    func compose() async throws {
        let compose = try Self.read("deploy/compose.yaml")
        let block = try #require(compose.components(separatedBy: "\nservices:\n").last?.components(separatedBy: "\nvolumes:").first)
        // A service is a two-space key; `app2: *app` is app1 again, restart policy included.
        let services = block.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("   ") && !$0.hasSuffix("*app") }
        let restarts = block.components(separatedBy: "restart: unless-stopped").count - 1
        #expect(services.count == 4)
        #expect(restarts == services.count, "\(restarts) restart policies for \(services.count) services")
        #expect(compose.contains("run --rm app1 user create --admin"))
        for arguments in [["serve", "--help"], ["worker", "--help"], ["user", "create", "--help"]] {
            let result = try await GroundworkProcess.run(arguments)
            #expect(result.code == 0, "groundwork \(arguments.joined(separator: " ")): \(result.err)")
        }
        let dockerfile = try Self.read("deploy/Dockerfile")
        #expect(dockerfile.contains(#"ENTRYPOINT ["groundwork"]"#))
        #expect(dockerfile.contains(#"CMD ["serve"]"#))
    }

    @Test("the systemd units pass systemd-analyze verify, and their commands exist")
    func systemdUnits() async throws {
        let folder = ServeCommandTests.temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (file, copy) in [("groundwork@.service", "groundwork@8081.service"), ("groundwork-worker.service", "groundwork-worker.service")] {
            let unit = try Self.read("deploy/systemd/" + file)
            let exec = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
            let arguments = exec.dropFirst("ExecStart=".count).split(separator: " ").map(String.init)
            #expect(arguments.first == "/usr/local/bin/groundwork")
            let help = try await GroundworkProcess.run(Array(arguments.dropFirst()) + ["--help"])
            #expect(help.code == 0, "\(exec): \(help.err)")
            // The binary is not installed here: point the copy at the one just built.
            try unit.replacingOccurrences(of: "/usr/local/bin/groundwork", with: GroundworkProcess.binary.path)
                .write(toFile: folder + "/" + copy, atomically: true, encoding: .utf8)
            let verify = try await Machine.run(["/usr/bin/systemd-analyze", "verify", folder + "/" + copy], check: false)
            let complaints = verify.output.split(separator: "\n").filter { !$0.contains("container") && !$0.isEmpty }
            #expect(verify.code == 0 && complaints.isEmpty, "\(file): \(verify.output)")
        }
    }
}
