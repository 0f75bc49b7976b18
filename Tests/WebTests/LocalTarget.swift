import Foundation
import Hummingbird
import Synchronization

@testable import ReferenceBackend

/// A learner's server for the lab page tests: on 127.0.0.1 at a port the system picks, for as long
/// as the test's body runs. Tests only ever run labs against these.
enum LocalTarget {
    /// The reference solution of `lab`, or one of its mutants.
    static func reference<T: Sendable>(_ lab: ReferenceLab, mutant: String? = nil, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        try await run({ onRunning in try ReferenceServer.application(lab: lab, mutant: mutant, port: 0, onRunning: onRunning) }, body)
    }

    /// A server that answers 200 to everything and counts the requests it gets; with `held`, it
    /// answers only once the counter is released, so a test can watch a run in progress.
    static func counting<T: Sendable>(held: Bool = false, _ body: @Sendable (URL, RequestCounter) async throws -> T) async throws -> T {
        let counter = RequestCounter(held: held)
        let router = Router()
        router.get("/**") { _, _ in
            counter.count()
            while counter.held { try await Task.sleep(for: .milliseconds(10)) }
            return "ok"
        }
        return try await run(
            { onRunning in
                Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await onRunning($0.localAddress?.port ?? 0) })
            }, { url in try await body(url, counter) })
    }

    /// Runs what `build` makes (it reports its port through the callback it is given), calls
    /// `body` with its base URL, then stops it.
    private static func run<App: ApplicationProtocol, T: Sendable>(
        _ build: (@escaping @Sendable (Int) async -> Void) throws -> App, _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = try build { port in
            sink.yield(port)
            sink.finish()
        }
        let server = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return try await body(URL(string: "http://127.0.0.1:\(port)")!)
    }
}

/// How many requests a ``LocalTarget/counting(held:_:)`` server has had, and whether it holds
/// its answers back.
final class RequestCounter: Sendable {
    private let state: Mutex<(total: Int, held: Bool)>

    init(held: Bool) {
        state = Mutex((0, held))
    }

    func count() { state.withLock { $0.total += 1 } }

    var value: Int { state.withLock { $0.total } }

    var held: Bool { state.withLock { $0.held } }

    func release() { state.withLock { $0.held = false } }
}
