import Foundation
import Synchronization

/// The real `groundwork` and `reference-backend` binaries (built next to the test bundle), run
/// as a learner runs them, so tests see what a learner sees: output, exit codes, signals, and
/// which processes are left afterwards.
final class LabCLI {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func binary(_ name: String) -> URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent(), folder.deletingLastPathComponent().deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent(name) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? repositoryRoot.appendingPathComponent(".build-labs/debug/\(name)")
    }

    /// A shell command for `--run` that prints its process id, then becomes the reference backend.
    static func referenceCommand(lab: String, port: Int, mutant: String? = nil, dataFile: String? = nil) -> String {
        var words = [binary("reference-backend").path, "--lab", lab, "--port", String(port)]
        if let mutant { words += ["--mutant", mutant] }
        if let dataFile { words += ["--data-file", dataFile] }
        return "echo \"pid $$\"; exec " + words.map { "'\($0)'" }.joined(separator: " ")
    }

    let process = Process()
    private let output = Captured()
    private let errors = Captured()

    init(_ executable: String = "groundwork", _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = Self.binary(executable)
        process.arguments = arguments
        process.currentDirectoryURL = Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GROUNDWORK_") && !["DATA_FILE", "INSTANCE_ID"].contains($0.key) }
        env["GROUNDWORK_LOG_LEVEL"] = "warning"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output.pipe
        process.standardError = errors.pipe
        try process.run()
    }

    var out: String { output.text }
    var err: String { errors.text }

    /// Runs `groundwork ARGUMENTS` to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> (code: Int32, out: String, err: String) {
        let child = try LabCLI("groundwork", arguments, environment: environment)
        let code = try await child.waitForExit(timeout: .seconds(120))
        return (code, child.out, child.err)
    }

    /// Waits for the process to end (polling: `waitUntilExit` can block forever in async code on
    /// Linux), then for the end of its output.
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw Failure("\(process.arguments ?? []) did not exit within \(timeout); output so far:\n\(out)\n\(err)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let drained = ContinuousClock.now + .seconds(5)
        while !(output.ended && errors.ended), ContinuousClock.now < drained {
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Waits until stdout contains `text`.
    func waitForOutput(_ text: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !out.contains(text) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw Failure("'\(text)' never appeared; output:\n\(out)\n\(err)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Waits until this process listens on 127.0.0.1:`port`.
    func waitUntilListening(on port: Int, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while !Self.listens(on: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                throw Failure("nothing listened on 127.0.0.1:\(port); output:\n\(out)\n\(err)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops this process with SIGTERM and waits for it.
    func stop() async throws {
        if process.isRunning { process.terminate() }
        _ = try await waitForExit(timeout: .seconds(30))
    }

    /// Runs `body` while `reference-backend --lab LAB --port PORT` serves, then stops it.
    static func withReference<T>(_ lab: String, port: Int, _ body: () async throws -> T) async throws -> T {
        let server = try LabCLI("reference-backend", ["--lab", lab, "--port", String(port)])
        do {
            try await server.waitUntilListening(on: port)
            let result = try await body()
            try await server.stop()
            return result
        } catch {
            try? await server.stop()
            throw error
        }
    }

    /// The process ids a `referenceCommand` printed, in order.
    func printedPIDs() -> [pid_t] {
        out.split(separator: "\n").compactMap { line in
            line.firstMatch(of: /pid (\d+)$/).flatMap { pid_t($0.1) }
        }
    }

    /// Whether `pid` still runs; a zombie does not (this machine's init may never reap orphans).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let end = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: end)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// Whether something accepts connections on 127.0.0.1:`port`.
    static func listens(on port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port on 127.0.0.1 that was free a moment ago.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw Failure("no free port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func temporaryFile(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-\(UUID().uuidString)-\(name)").path
    }

    /// Something a test waited for did not happen; says what was seen instead.
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// One output stream, collected as it arrives.
    private final class Captured: Sendable {
        let pipe = Pipe()
        private let state = Mutex<(text: String, ended: Bool)>(("", false))

        init() {
            // Holds self until the end of the stream, where the handler removes itself.
            pipe.fileHandleForReading.readabilityHandler = { handle in self.receive(handle.availableData, from: handle) }
        }

        private func receive(_ data: Data, from handle: FileHandle) {
            if data.isEmpty { handle.readabilityHandler = nil }
            state.withLock { state in
                if data.isEmpty {
                    state.ended = true
                } else {
                    state.text += String(decoding: data, as: UTF8.self)
                }
            }
        }

        var text: String { state.withLock { $0.text } }
        var ended: Bool { state.withLock { $0.ended } }
    }
}
