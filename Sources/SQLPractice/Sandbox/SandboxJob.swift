import Foundation

/// One attempt as it crosses from the server to a sandbox process: what to run, on which dataset
/// file, within which limits; and what came back.
struct SandboxJob: Codable {
    let request: SandboxRequest
    let limits: SandboxLimits
    let datasetPath: String

    /// The attempt's outcome, as the sandbox process reports it.
    enum Answer: Codable {
        case ran(SandboxRun)
        case failed(SandboxError)
        /// The dataset file could not be opened: the server's problem, not the learner's.
        case datasetUnusable(String)
    }

    /// Runs the attempt here, on the calling thread (in the sandbox process).
    func run() -> Answer {
        let session = SandboxSession(request: request, limits: limits, datasetPath: datasetPath, guardian: SandboxGuard(policy: request.policy))
        do throws(SQLiteFailure) {
            switch try session.run() {
            case .success(let run): return .ran(run)
            case .failure(let error): return .failed(error)
            }
        } catch {
            return .datasetUnusable(error.message)
        }
    }

    static func serialize<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        return try encoder.encode(value)
    }

    static func deserialize<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        try PropertyListDecoder().decode(type, from: data)
    }
}

/// Messages on a pipe: a 4-byte big-endian length, then that many bytes.
enum Frame {
    /// The largest message either side accepts (results are limited to about 1 MB).
    static let maximumLength = 16 << 20

    /// Writes all of `data` to `descriptor`; false when the other end has gone.
    static func write(_ data: Data, to descriptor: Int32) -> Bool {
        let count = UInt32(data.count)
        let header = Data([UInt8(count >> 24), UInt8(count >> 16 & 0xff), UInt8(count >> 8 & 0xff), UInt8(count & 0xff)])
        return (header + data).withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let result = writeBytes(descriptor, bytes.baseAddress! + sent, bytes.count - sent)
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { return false }
                sent += result
            }
            return true
        }
    }

    /// Reads one message from `descriptor`, waiting at most until `deadline` (for ever when nil);
    /// nil when the other end closed, the deadline passed, or the message is malformed.
    static func read(from descriptor: Int32, until deadline: ContinuousClock.Instant? = nil) -> Data? {
        guard let header = read(count: 4, from: descriptor, until: deadline) else { return nil }
        let length = header.reduce(0) { $0 << 8 | Int($1) }
        guard length <= maximumLength else { return nil }
        return read(count: length, from: descriptor, until: deadline)
    }

    /// Waits until `descriptor` has something to read (or was closed); false when `deadline` came first.
    static func waitReadable(_ descriptor: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return false }
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(clamping: remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1)
            let ready = poll(&waiting, 1, milliseconds)
            if ready > 0 || (ready < 0 && errno != EINTR) { return true }
        }
    }

    private static func read(count: Int, from descriptor: Int32, until deadline: ContinuousClock.Instant?) -> Data? {
        var data = Data(count: count)
        var received = 0
        while received < count {
            if let deadline, !waitReadable(descriptor, until: deadline) { return nil }
            let result = data.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress! + received, count - received) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { return nil }
            received += result
        }
        return data
    }
}

// The system calls, under names that `Frame`'s own `read` and `write` do not hide.
private func writeBytes(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int { write(descriptor, bytes, count) }
private func readBytes(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int { read(descriptor, bytes, count) }
