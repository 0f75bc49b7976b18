import Foundation
import PostgresNIO
import SQLKit
import Synchronization

/// Messages between the processes that share a database, so one can tell the others "there is new
/// work" or "this changed" without them polling for it.
///
/// On PostgreSQL this is LISTEN/NOTIFY: every listening connection of every instance gets the
/// message when the sending transaction commits. On SQLite one process owns the file, so a message
/// is broadcast inside the process. Either way delivery is best effort — a message sent while a
/// listener is reconnecting is lost — so a listener must also poll, or tolerate a missed message.
extension Database {
    /// Sends `payload` to every current listener of `channel`.
    public func notify(channel: String, payload: String) async throws {
        try Self.checkChannel(channel)
        if kind == .postgres {
            try await withSQL { try await $0.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run() }
        } else {
            LocalNotifications.shared.post(channel: channel, payload: payload)
        }
    }

    /// Sends `payload` from inside a caller's transaction: on PostgreSQL it is delivered only if
    /// and when that transaction commits; on SQLite it is broadcast at once (a listener that acts
    /// on it waits for the transaction's write lock, so it still sees the committed change).
    public func notify(channel: String, payload: String, in sql: any SQLDatabase) async throws {
        try Self.checkChannel(channel)
        if kind == .postgres {
            try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
        } else {
            LocalNotifications.shared.post(channel: channel, payload: payload)
        }
    }

    /// The payloads sent to `channel` from now on, until the consumer stops iterating. On
    /// PostgreSQL one pooled connection is held for LISTEN; if it is lost it is re-established after
    /// a second (messages sent in between are lost), and each time listening (re)starts the
    /// stream yields an empty payload, so a consumer can catch up on what it may have missed.
    /// Channel names are code constants of lower-case letters, digits, `_` and `.`.
    public func listen(channel: String) -> AsyncStream<String> {
        precondition((try? Self.checkChannel(channel)) != nil, "invalid notification channel '\(channel)'")
        guard kind == .postgres else {
            return LocalNotifications.shared.subscribe(channel: channel)
        }
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1024))
        let listening = Task {
            while !Task.isCancelled {
                // Asked each time: after an outage the pool is a new one (see PostgresConnector).
                guard let client = postgresClient else { break }
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            continuation.yield("")
                            for try await notification in notifications {
                                continuation.yield(notification.payload)
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { break }
                }
                try? await Task.sleep(for: .seconds(1))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in listening.cancel() }
        return stream
    }

    private static func checkChannel(_ channel: String) throws {
        let allowed = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
        }
        guard !channel.isEmpty, channel.utf8.count <= 63, channel.utf8.allSatisfy(allowed) else {
            throw DatabaseError.unsupported(
                "'\(channel)' is not a notification channel name: use lower-case letters, digits, '_' and '.' (at most 63)")
        }
    }
}

/// The in-process broadcast behind SQLite's notifications: every subscriber of a channel gets
/// every payload posted to it after it subscribed.
final class LocalNotifications: Sendable {
    static let shared = LocalNotifications()

    private let subscribers = Mutex<[String: [UUID: AsyncStream<String>.Continuation]]>([:])

    func post(channel: String, payload: String) {
        let listeners = subscribers.withLock { Array(($0[channel] ?? [:]).values) }
        for listener in listeners { listener.yield(payload) }
    }

    func subscribe(channel: String) -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(1024))
        let id = UUID()
        subscribers.withLock { $0[channel, default: [:]][id] = continuation }
        continuation.onTermination = { [weak self] _ in
            self?.subscribers.withLock { $0[channel]?[id] = nil }
        }
        return stream
    }
}
