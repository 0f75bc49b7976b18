import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// A stand-in for a Groundwork server's `POST /api/v1/lab-runs` on 127.0.0.1, answering as told
/// and keeping every request it got, so a test can see exactly what `--upload` sends.
enum FakeGroundworkServer {
    /// One request as it arrived.
    struct Received: Sendable {
        let path: String
        let authorization: String?
        let contentType: String?
        let body: String
    }

    /// Every request so far, in order.
    actor Log {
        private(set) var requests: [Received] = []
        func add(_ request: Received) { requests.append(request) }
    }

    /// Serves for the duration of `body`, which gets the server's URL and its log.
    static func with<T: Sendable>(
        status: HTTPResponse.Status, answer: String,
        _ body: @Sendable (URL, Log) async throws -> T
    ) async throws -> T {
        let log = Log()
        let router = Router()
        router.post("/api/v1/lab-runs") { request, _ in
            var request = request
            let text = String(buffer: try await request.collectBody(upTo: 1 << 20))
            await log.add(
                Received(
                    path: request.uri.path, authorization: request.headers[.authorization],
                    contentType: request.headers[.contentType], body: text))
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: answer)))
        }
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "fake-groundwork")
        logger.logLevel = .warning
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: {
                sink.yield($0.localAddress?.port ?? 0)
                sink.finish()
            }, logger: logger)
        let services = ServiceGroup(services: [app], logger: logger)
        let task = Task { try await services.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw LabCLI.Failure("the fake Groundwork server did not start") }
        do {
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!, log)
            await services.triggerGracefulShutdown()
            _ = try? await task.value
            return result
        } catch {
            await services.triggerGracefulShutdown()
            _ = try? await task.value
            throw error
        }
    }
}
