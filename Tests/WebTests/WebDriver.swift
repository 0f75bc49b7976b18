import AsyncHTTPClient
import Foundation
import NIOCore

/// Just enough of the W3C WebDriver protocol to drive Debian's headless Chromium through
/// chromedriver, both on 127.0.0.1: open pages, find and click elements, read text, take screenshots.
/// (AsyncHTTPClient, because Foundation's URLSession on Linux rejects chromedriver's headers.)
final class WebDriver {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let process: Process
    private let base: URL
    private var session = ""

    /// Starts chromedriver on a free loopback port and opens a headless Chromium session.
    init(darkMode: Bool = false) async throws {
        let chromedriver = "/usr/bin/chromedriver"
        guard FileManager.default.isExecutableFile(atPath: chromedriver) else {
            throw Failure(description: "chromedriver is not installed: apt-get install chromium chromium-driver (scripts/test and .ci/run expect it)")
        }
        let port = try Self.freePort()
        process = Process()
        process.executableURL = URL(fileURLWithPath: chromedriver)
        process.arguments =
            ["--port=\(port)", "--allowed-ips=127.0.0.1"]
            + (ProcessInfo.processInfo.environment["GROUNDWORK_CHROMEDRIVER_LOG"].map { ["--log-path=\($0)", "--verbose"] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        base = URL(string: "http://127.0.0.1:\(port)")!
        do {
            try await startSession(darkMode: darkMode)
        } catch {
            await stopDriver()
            throw error
        }
    }

    private func startSession(darkMode: Bool) async throws {
        try await waitUntilReady()
        let arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ]
        let created = try await send(
            "POST", "/session",
            [
                "capabilities": ["alwaysMatch": ["browserName": "chrome", "goog:chromeOptions": ["binary": "/usr/bin/chromium", "args": arguments]]]
            ])
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            throw Failure(description: "chromedriver did not open a session: \(created)")
        }
        session = id
        if darkMode {
            _ = try await send(
                "POST", "/session/\(session)/goog/cdp/execute",
                [
                    "cmd": "Emulation.setEmulatedMedia", "params": ["features": [["name": "prefers-color-scheme", "value": "dark"]]],
                ])
        }
    }

    func quit() async {
        _ = try? await send("DELETE", "/session/\(session)", nil)
        await stopDriver()
    }

    /// Stops chromedriver, waiting at most two seconds (Process.waitUntilExit can block forever
    /// inside Swift concurrency on Linux), then killing it if it is still there.
    private func stopDriver() async {
        process.terminate()
        for _ in 0..<20 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func open(_ url: String) async throws {
        _ = try await send("POST", "/session/\(session)/url", ["url": url])
    }

    var title: String {
        get async throws { try await send("GET", "/session/\(session)/title", nil)["value"] as? String ?? "" }
    }

    var currentURL: String {
        get async throws { try await send("GET", "/session/\(session)/url", nil)["value"] as? String ?? "" }
    }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to appear.
    func element(_ selector: String, timeout: Duration = .seconds(5)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let found = try await send("POST", "/session/\(session)/element", ["using": "css selector", "value": selector], allowError: true)
            if let value = found["value"] as? [String: Any], let id = value.values.first as? String, value["error"] == nil {
                return id
            }
            if ContinuousClock.now > deadline { throw Failure(description: "no element matches '\(selector)'") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func click(_ selector: String) async throws {
        _ = try await send("POST", "/session/\(session)/element/\(try await element(selector))/click", [:])
    }

    /// Types into an element as a person would (key events, so input listeners run); for a file
    /// input, `text` is the path of the file to choose.
    func type(_ selector: String, _ text: String) async throws {
        _ = try await send("POST", "/session/\(session)/element/\(try await element(selector))/value", ["text": text])
    }

    /// Lets downloads land in `folder` without asking (headless Chromium refuses them otherwise).
    func allowDownloads(to folder: URL) async throws {
        _ = try await send(
            "POST", "/session/\(session)/goog/cdp/execute",
            ["cmd": "Browser.setDownloadBehavior", "params": ["behavior": "allow", "downloadPath": folder.path, "eventsEnabled": false]])
    }

    func text(_ selector: String) async throws -> String {
        try await send("GET", "/session/\(session)/element/\(try await element(selector))/text", nil)["value"] as? String ?? ""
    }

    /// Runs JavaScript in the page and returns its result.
    func evaluate(_ script: String) async throws -> Any? {
        try await send("POST", "/session/\(session)/execute/sync", ["script": script, "args": [Any]()])["value"]
    }

    /// Runs asynchronous JavaScript: the script ends by calling its last argument with the result.
    func evaluateAsync(_ script: String) async throws -> Any? {
        _ = try await send("POST", "/session/\(session)/timeouts", ["script": 60_000])
        return try await send("POST", "/session/\(session)/execute/async", ["script": script, "args": [Any]()])["value"]
    }

    /// Sizes the page's viewport as a desktop window or a phone (`mobile`: touch-sized, as on a phone).
    func viewport(width: Int, height: Int, mobile: Bool = false) async throws {
        _ = try await send(
            "POST", "/session/\(session)/goog/cdp/execute",
            [
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile],
            ])
    }

    /// Saves a PNG of the viewport.
    func screenshot(to url: URL) async throws {
        let response = try await send("GET", "/session/\(session)/screenshot", nil)
        guard let encoded = response["value"] as? String, let data = Data(base64Encoded: encoded) else {
            throw Failure(description: "no screenshot returned")
        }
        try data.write(to: url)
    }

    private func waitUntilReady() async throws {
        for _ in 0..<100 {
            if let status = try? await send("GET", "/status", nil), (status["value"] as? [String: Any])?["ready"] as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "chromedriver did not become ready on \(base)")
    }

    private func send(_ method: String, _ path: String, _ body: [String: Any]?, allowError: Bool = false) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base.absoluteString + path)
        request.method = .init(rawValue: method)
        if let body {
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let data = Data(buffer: try await response.body.collect(upTo: 50 * 1024 * 1024))
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        if !allowError, response.status.code >= 400 {
            throw Failure(description: "\(method) \(path) failed with \(response.status.code): \(String(decoding: data, as: UTF8.self).prefix(500))")
        }
        return json
    }

    private static func freePort() throws -> Int {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "could not find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
