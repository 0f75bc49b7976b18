import AsyncHTTPClient
import Foundation
import NIOCore

/// The real `groundwork` binary (built next to the test bundle), started as a child process the
/// way a learner starts it, so tests see exactly what they would: exit codes, stderr, signals.
final class GroundworkProcess {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: URL {
        let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [folder, folder.deletingLastPathComponent(), folder.deletingLastPathComponent().deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("groundwork") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
            ?? repositoryRoot.appendingPathComponent(".build/debug/groundwork")
    }

    let process = Process()
    private let output = Pipe()
    private let errors = Pipe()

    /// `asNobody` runs it as the unprivileged user `nobody` (through setpriv, which execs, so the
    /// process is groundwork itself): root reads every file, whatever its permissions say.
    init(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil, directory: URL? = nil,
        asNobody: Bool = false
    ) throws {
        if asNobody {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", Self.binary.path] + arguments
        } else {
            process.executableURL = Self.binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory ?? Self.repositoryRoot
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("GROUNDWORK_") }
        env["GROUNDWORK_LOG_LEVEL"] = "warning"
        // A coverage build writes its profile where the test run says, or into the working folder;
        // `nobody` may write in neither, and the runtime's complaint on stderr would be mistaken
        // for the command's own.
        if asNobody { env["LLVM_PROFILE_FILE"] = "/dev/null" }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = output
        process.standardError = errors
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
    }

    /// A test that fails half-way leaves no server behind: whatever still runs is killed.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs a command to completion and returns its exit code, stdout and stderr.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        directory: URL? = nil, asNobody: Bool = false
    ) async throws -> (code: Int32, out: String, err: String) {
        let child = try GroundworkProcess(arguments, environment: environment, stdin: stdin, directory: directory, asNobody: asNobody)
        let status = try await child.waitForExit(timeout: .seconds(60))
        return (status, child.readOutput(), child.readErrors())
    }

    /// Waits for the process to end (polling: Process.waitUntilExit can block forever in async code on Linux).
    func waitForExit(timeout: Duration) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw TimedOut(description: "groundwork \(process.arguments ?? []) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        // A crash (a signal) is never mistaken for an exit code.
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    func readOutput() -> String { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
    func readErrors() -> String { String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self) }

    /// Waits until `url` answers, or the process dies.
    func waitUntilServing(_ url: String, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw TimedOut(description: "groundwork exited with \(process.terminationStatus): \(readErrors())")
            }
            if let response = try? await Self.get(url), response.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TimedOut(description: "groundwork did not answer at \(url)")
    }

    static func get(_ url: String, headers: [(String, String)] = []) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 10 * 1024 * 1024)))
    }

    static func put(_ url: String, json: String) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .PUT
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        return Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw TimedOut(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct TimedOut: Error, CustomStringConvertible { let description: String }
}
