import AsyncHTTPClient
import Foundation

@testable import ReferenceBackend

/// The `reverse-proxy` reference setup, for real: Debian's nginx in front of two reference-backend
/// instances that share a data file — all on 127.0.0.1, all files in a temporary folder, nginx in
/// the foreground without privileges, stopped by its process id afterwards. A mutant whose bug is
/// in the proxy changes the nginx configuration; any other changes the app.
enum ProxiedReference {
    static let nginx = URL(fileURLWithPath: "/usr/sbin/nginx")

    /// nginx is missing or would not start; says why.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `body` with the proxy's URL while the setup runs, then stops it and removes its folder.
    static func with<T: Sendable>(mutant: String?, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        guard FileManager.default.isExecutableFile(atPath: nginx.path) else {
            throw Unavailable(description: "\(nginx.path) is missing: install Debian's nginx package (apt-get install nginx), as .ci/run does")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-proxy-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("static"), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try Data("hello from the proxy\n".utf8).write(to: folder.appendingPathComponent("static/hello.txt"))
        let data = folder.appendingPathComponent("data.json")
        return try await instance("a", mutant: mutant, data: data) { first in
            try await instance("b", mutant: mutant, data: data) { second in
                let configuration = NginxConfiguration(
                    mutant: mutant.flatMap(ReverseProxyMutant.init(rawValue:)),
                    listenPort: try await LocalServer.closedPort(),
                    upstreamPorts: [first, second], prefix: folder, documentRoot: folder)
                return try await proxy(configuration, body)
            }
        }
    }

    /// One in-process instance of the app, for the duration of `body`, which gets its port.
    private static func instance<T: Sendable>(_ id: String, mutant: String?, data: URL, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await LocalServer.run(
            { onRunning in
                try ReferenceServer.application(lab: .reverseProxy, mutant: mutant, port: 0, dataFile: data, instanceID: id, onRunning: onRunning)
            }, { url in try await body(url.port ?? 0) })
    }

    /// nginx with `configuration`, for the duration of `body`.
    private static func proxy<T: Sendable>(_ configuration: NginxConfiguration, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let prefix = configuration.prefix
        let file = prefix.appendingPathComponent("nginx.conf")
        try configuration.text.write(to: file, atomically: true, encoding: .utf8)
        let log = prefix.appendingPathComponent("error.log")
        let process = Process()
        process.executableURL = nginx
        process.arguments = ["-p", prefix.path, "-c", file.path, "-e", log.path]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        do {
            let url = URL(string: "http://127.0.0.1:\(configuration.listenPort)")!
            try await waitUntilServing(url, process: process, log: log)
            let result = try await body(url)
            await stop(process)
            return result
        } catch {
            await stop(process)
            throw error
        }
    }

    /// Polls the static file until nginx answers; fails with its error log if it exits or takes over 10 s.
    private static func waitUntilServing(_ url: URL, process: Process, log: URL) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard process.isRunning else { break }
            let request = HTTPClientRequest(url: url.appendingPathComponent("static/hello.txt").absoluteString)
            if (try? await HTTPClient.shared.execute(request, timeout: .milliseconds(500))) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        let errors = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Unavailable(
            description: "nginx did not serve \(url) (it \(process.isRunning ? "is still starting" : "exited")); its error log:\n\(errors)")
    }

    /// SIGTERM to nginx's master process (which stops its worker), then waits for it by polling.
    private static func stop(_ process: Process) async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
