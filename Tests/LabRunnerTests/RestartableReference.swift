import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

@testable import ReferenceBackend

/// The reference backend in-process on 127.0.0.1, restartable on the same port with the same
/// data file: what `groundwork check --run` does to a learner's program, without a child process.
actor RestartableReference {
    let lab: ReferenceLab
    let mutant: String?
    let dataFile: URL
    private var port = 0
    private var running: (services: ServiceGroup, task: Task<Void, any Error>)?

    /// The server stopped before it reported its port (say, the port was taken).
    struct DidNotStart: Error {}

    init(lab: ReferenceLab, mutant: String?, dataFile: URL) {
        self.lab = lab
        self.mutant = mutant
        self.dataFile = dataFile
    }

    /// Starts the server (on the port it had before, if any) and returns its base URL.
    @discardableResult
    func start() async throws -> URL {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = try ReferenceServer.application(lab: lab, mutant: mutant, port: port, dataFile: lab.keepsData ? dataFile : nil) { port in
            sink.yield(port)
            sink.finish()
        }
        let services = ServiceGroup(services: [app], logger: Logger(label: "restartable-reference"))
        let task = Task {
            defer { sink.finish() }
            try await services.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next() else {
            _ = try? await task.value
            throw DidNotStart()
        }
        port = bound
        running = (services, task)
        return URL(string: "http://127.0.0.1:\(bound)")!
    }

    func stop() async {
        guard let running else { return }
        await running.services.triggerGracefulShutdown()
        _ = try? await running.task.value
        self.running = nil
    }

    /// What the `restart` probe calls.
    func restart() async throws -> String {
        await stop()
        try await start()
        return "restarted in-process on port \(port)"
    }

    /// Runs `body` with the started server's URL, then stops it and removes the data file.
    static func with<T: Sendable>(_ lab: ReferenceLab, mutant: String?, _ body: @Sendable (URL, RestartableReference) async throws -> T) async throws
        -> T
    {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-data-\(UUID().uuidString).json")
        let server = RestartableReference(lab: lab, mutant: mutant, dataFile: data)
        defer { try? FileManager.default.removeItem(at: data) }
        let url = try await server.start()
        do {
            let result = try await body(url, server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }
}
