import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// PostgreSQL connections that fail fast while the server is away and come back fast after.
///
/// `PostgresClient` alone keeps a request waiting for a connection as long as PostgreSQL is
/// unreachable (60 s and more were seen), and reconnects on an exponential back-off once it returns
/// (15–19 s). Here:
/// - a request that has waited `leaseTimeout` for a connection makes a watchdog ask PostgreSQL
///   directly; if it does not answer, that is an outage (a merely busy pool is not);
/// - a connection that fails for want of the server is an outage too;
/// - during an outage every request fails at once with ``DatabaseUnavailable`` (503 and
///   `Retry-After` on the web), the old client is shut down so nothing stays queued on it, and one
///   probe every `probeInterval` tries to connect; when one succeeds a fresh client takes over.
final class PostgresConnector: Sendable {
    private struct Outage {
        let cause: String
        var probe: Task<Void, Never>?
    }

    private struct State {
        var client: PostgresClient
        var run: Task<Void, Never>
        var generation = 0
        var outage: Outage?
        var waiting: [Int: ContinuousClock.Instant] = [:]
        var nextWaiter = 0
        var isClosed = false
        var watchdogProbing = false
        var lastWatchdogProbe: ContinuousClock.Instant?
    }

    static let leaseTimeout: Duration = .seconds(2)
    static let probeInterval: Duration = .milliseconds(500)

    private let configuration: PostgresClient.Configuration
    private let logger: Logger
    private let state: Mutex<State>
    private let watchdog: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(configuration: PostgresClient.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let client = PostgresClient(configuration: configuration, backgroundLogger: Self.poolLogger(logger))
        state = Mutex(State(client: client, run: Task { await client.run() }))
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                guard let self else { return }  // a connector never closed stops watching once it is gone
                await self.checkOverdueLeases()
            }
        }
        watchdog.withLock { $0 = task }
    }

    /// The client currently in use (LISTEN holds a connection of its own through it).
    var client: PostgresClient { state.withLock { $0.client } }

    /// Runs `body` with a pooled connection, or throws ``DatabaseUnavailable`` at once during an outage.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let (client, generation, waiter) = try state.withLock { state throws(DatabaseUnavailable) in
            if state.isClosed { throw DatabaseUnavailable.postgres("the database has been closed") }
            if let outage = state.outage { throw DatabaseUnavailable.postgres(outage.cause) }
            let waiter = state.nextWaiter
            state.nextWaiter += 1
            state.waiting[waiter] = .now
            return (state.client, state.generation, waiter)
        }
        do {
            return try await client.withConnection { connection in
                state.withLock { _ = $0.waiting.removeValue(forKey: waiter) }
                return try await body(connection)
            }
        } catch {
            let outage = state.withLock { state -> String? in
                state.waiting[waiter] = nil
                if let outage = state.outage { return outage.cause }
                return state.generation != generation ? "the connection pool was replaced" : nil
            }
            if let outage { throw DatabaseUnavailable.postgres(outage) }
            if PostgresProblem.isOutage(error) {
                let cause = "PostgreSQL at \(configuration.host ?? "?"):\(configuration.port ?? 5432) failed: \(PostgresProblem.describe(error))"
                beginOutage(cause)
                throw DatabaseUnavailable.postgres(cause)
            }
            throw error
        }
    }

    /// Shuts the pool and the watchdog down; later requests fail at once.
    func close() async {
        let (run, probe) = state.withLock { state in
            state.isClosed = true
            let probe = state.outage?.probe
            state.outage?.probe = nil
            return (state.run, probe)
        }
        watchdog.withLock { $0?.cancel() }
        probe?.cancel()
        run.cancel()
        await run.value
        await probe?.value
    }

    /// A request waiting longer than ``leaseTimeout`` for a connection: outage, or just busy?
    private func checkOverdueLeases() async {
        let overdue = state.withLock { state -> Bool in
            guard state.outage == nil, !state.isClosed, !state.watchdogProbing,
                let oldest = state.waiting.values.min(), ContinuousClock.now - oldest > Self.leaseTimeout
            else { return false }
            // A busy pool (PostgreSQL answered the last probe) is asked again only once a second.
            if let last = state.lastWatchdogProbe, ContinuousClock.now - last < .seconds(1) { return false }
            state.watchdogProbing = true
            state.lastWatchdogProbe = .now
            return true
        }
        guard overdue else { return }
        // Lenient: a request has waited 2 s already, and a loaded server may be slow to accept.
        let failure = await Self.probe(configuration, timeout: .seconds(3), logger: logger)
        state.withLock { $0.watchdogProbing = false }
        if let failure { beginOutage(failure) }
    }

    /// Enters the outage state (once): the old pool is shut down, waiting requests fail, and a
    /// probe loop starts looking for the server.
    private func beginOutage(_ cause: String) {
        let oldRun = state.withLock { state -> Task<Void, Never>? in
            guard state.outage == nil, !state.isClosed else { return nil }
            state.outage = Outage(cause: cause)
            state.generation += 1
            return state.run
        }
        guard let oldRun else { return }
        logger.error("PostgreSQL is unavailable; answering 503 until it is back", metadata: ["cause": "\(cause)"])
        oldRun.cancel()
        let probing = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.probeInterval)
                guard let self, !Task.isCancelled else { return }
                if await self.probe() == nil {
                    self.endOutage()
                    return
                }
            }
        }
        state.withLock { $0.outage?.probe = probing }
    }

    /// The pool logs every failed connection attempt at `info` (several a second during an
    /// outage); this type logs the outage once instead, so the pool says only what is worse.
    private static func poolLogger(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        return quiet
    }

    private func endOutage() {
        let client = PostgresClient(configuration: configuration, backgroundLogger: Self.poolLogger(logger))
        let started = state.withLock { state -> Bool in
            guard !state.isClosed, state.outage != nil else { return false }
            state.client = client
            state.run = Task { await client.run() }
            state.generation += 1
            state.outage = nil
            state.waiting = [:]
            return true
        }
        if started { logger.notice("PostgreSQL is back; serving again") }
    }

    private func probe() async -> String? {
        await Self.probe(configuration, timeout: .seconds(1), logger: logger)
    }

    /// Connects once, outside any pool; nil when PostgreSQL answered, else why not (one line).
    static func probe(_ configuration: PostgresClient.Configuration, timeout: TimeAmount, logger: Logger) async -> String? {
        guard let host = configuration.host else { return nil }
        var options = PostgresConnection.Configuration.Options()
        options.connectTimeout = timeout
        var connectionConfiguration = PostgresConnection.Configuration(
            host: host, port: configuration.port ?? 5432, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: .disable
        )
        connectionConfiguration.options = options
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: connectionConfiguration, id: 0, logger: logger
            )
            try await connection.close()
            return nil
        } catch {
            return "cannot connect to PostgreSQL at \(host):\(configuration.port ?? 5432): \(PostgresProblem.describe(error))"
        }
    }
}
