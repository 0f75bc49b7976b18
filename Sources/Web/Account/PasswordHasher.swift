import Crypto
import Foundation
import NIOPosix
import _CryptoExtras

/// Hashes and verifies passwords with scrypt, stored as a self-describing string
/// (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`) so the cost can be raised later without breaking old hashes.
///
/// scrypt is deliberately slow and memory-hard (32 MiB per hash at ln=15), so it runs on threads of
/// its own — never on an event loop, and never on the thread pool the database and file reads use,
/// which a flood of sign-ins would otherwise starve. At most `maxConcurrent` run at once and at
/// most `maxWaiting` wait; beyond that a hash is refused at once with ``PasswordHasher/Busy``
/// (the pages answer 503 with `Retry-After`) instead of queueing without bound.
public struct PasswordHasher: Sendable {
    public let logN: Int
    private let gate: ConcurrencyGate
    static let blockSize = 8
    static let parallelism = 1
    static let saltBytes = 16
    static let hashBytes = 32

    /// Thrown when too many hashes are already waiting.
    public struct Busy: Error {}

    /// The threads every hasher in the process shares: half the cores (at least one), so hashing
    /// never takes every core from requests.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, ProcessInfo.processInfo.activeProcessorCount / 2))
        pool.start()
        return pool
    }()

    public init(logN: Int = 15, maxConcurrent: Int = max(1, ProcessInfo.processInfo.activeProcessorCount / 2), maxWaiting: Int = 32) {
        self.logN = logN
        self.gate = ConcurrencyGate(limit: max(1, maxConcurrent), maxWaiting: maxWaiting)
    }

    public func hash(_ password: String) async throws -> String {
        let salt = Data((0..<Self.saltBytes).map { _ in UInt8.random(in: .min ... .max) })
        let derived = try await derive(password, salt: salt, logN: logN)
        return "$scrypt$ln=\(logN),r=\(Self.blockSize),p=\(Self.parallelism)$\(salt.base64EncodedString())$\(derived.base64EncodedString())"
    }

    /// True when `password` matches `stored`; compares in constant time. A malformed or
    /// placeholder hash (`!`) never matches.
    public func verify(_ password: String, against stored: String) async throws -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "scrypt",
            let logN = Self.parameter("ln", in: parts[1]), (10...20).contains(logN),
            let salt = Data(base64Encoded: String(parts[2])),
            let expected = Data(base64Encoded: String(parts[3]))
        else { return false }
        let derived = try await derive(password, salt: salt, logN: logN)
        return Self.constantTimeEquals(derived, expected)
    }

    /// Burns the same time as a real verification, so an unknown account answers as slowly as a
    /// wrong password and response times do not reveal which emails have accounts.
    public func verifyNothing(_ password: String) async throws {
        _ = try await derive(password, salt: Data(count: Self.saltBytes), logN: logN)
    }

    private func derive(_ password: String, salt: Data, logN: Int) async throws -> Data {
        try await gate.run {
            try await Self.threads.runIfActive {
                let key = try KDF.Scrypt.deriveKey(
                    from: Data(password.utf8), salt: salt, outputByteCount: Self.hashBytes,
                    rounds: 1 << logN, blockSize: Self.blockSize, parallelism: Self.parallelism,
                    maxMemory: 256 * 1024 * 1024
                )
                return key.withUnsafeBytes { Data($0) }
            }
        }
    }

    private static func parameter(_ name: String, in text: Substring) -> Int? {
        for pair in text.split(separator: ",") {
            let keyValue = pair.split(separator: "=")
            if keyValue.count == 2, keyValue[0] == name { return Int(keyValue[1]) }
        }
        return nil
    }

    static func constantTimeEquals(_ lhs: Data, _ rhs: Data) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(lhs, rhs) { difference |= a ^ b }
        return difference == 0
    }
}

/// Lets at most `limit` operations run at once; up to `maxWaiting` more wait in order, and any
/// beyond that are refused with ``PasswordHasher/Busy``.
actor ConcurrencyGate {
    private let limit: Int
    private let maxWaiting: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int, maxWaiting: Int = .max) {
        self.limit = limit
        self.maxWaiting = maxWaiting
    }

    func run<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        if running < limit {
            running += 1
        } else if waiting.count < maxWaiting {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            throw PasswordHasher.Busy()
        }
        defer {
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await operation()
    }
}
