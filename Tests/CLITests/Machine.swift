import Foundation

/// What the machine-level tests do to the machine: run a tool, mount a small disk, stop and start
/// a PostgreSQL of their own. Everything is undone by the caller's `defer`.
enum Machine {
    struct Failed: Error, CustomStringConvertible { let description: String }

    /// Runs a program to completion (polling, as GroundworkProcess does) and returns its status
    /// and combined output; throws when it does not exit within `timeout`.
    @discardableResult
    static func run(_ arguments: [String], timeout: Duration = .seconds(60), check: Bool = true) async throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        var collected = Data()
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw Failed(description: "\(arguments.joined(separator: " ")) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        collected.append(output.fileHandleForReading.availableData)
        let text = String(decoding: collected, as: UTF8.self)
        if check && process.terminationStatus != 0 {
            throw Failed(description: "\(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(text)")
        }
        return (process.terminationStatus, text)
    }

    /// A small tmpfs: a disk that fills up. Needs root (CI and these machines run the tests as
    /// root); unmounted by ``unmount()``.
    struct SmallDisk {
        let path: String

        static func mount(megabytes: Int) async throws -> SmallDisk {
            let path = ServeCommandTests.temporaryFolder()
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let result = try await Machine.run(["/usr/bin/mount", "-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0777", "tmpfs", path], check: false)
            guard result.code == 0 else {
                try? FileManager.default.removeItem(atPath: path)
                throw Failed(description: "these tests mount a small tmpfs and must run as root: \(result.output)")
            }
            return SmallDisk(path: path)
        }

        /// Fills every free byte with `filler` (until ENOSPC).
        func fill() throws {
            let fd = open(path + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw Failed(description: "cannot create the filler file") }
            defer { close(fd) }
            let block = [UInt8](repeating: 0x5a, count: 64 * 1024)
            while true {
                let written = block.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if written <= 0 { break }
            }
            // Smaller pieces for the last partial block.
            while write(fd, block, 512) > 0 {}
            while write(fd, block, 1) > 0 {}
        }

        func freeSpace() throws { try FileManager.default.removeItem(atPath: path + "/filler") }

        func remount(readOnly: Bool) async throws {
            try await Machine.run(["/usr/bin/mount", "-o", "remount,\(readOnly ? "ro" : "rw")", path])
        }

        func unmount() async {
            _ = try? await Machine.run(["/usr/bin/umount", "-l", path], check: false)
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
