import Foundation
import Hummingbird
import LabKit
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Servers a test runs on 127.0.0.1 at a port the system picks, and stops afterwards. Tests only
/// ever talk to these.
enum LocalServer {
    /// Runs the application `build` makes (it must report its port through the callback it is
    /// given), calls `body` with the base URL, then stops the server.
    static func run<App: ApplicationProtocol, T: Sendable>(
        _ build: (@escaping @Sendable (Int) async -> Void) throws -> App,
        _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let app = try build { port in
            sink.yield(port)
            sink.finish()
        }
        let services = ServiceGroup(services: [app], logger: Logger(label: "test-server"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                await services.triggerGracefulShutdown()
                throw CancellationError()
            }
            do {
                let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
                await services.triggerGracefulShutdown()
                return result
            } catch {
                await services.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// Serves `router` for the duration of `body`.
    static func serve<T: Sendable>(_ router: Router<BasicRequestContext>, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        try await run(
            { onRunning in
                var logger = Logger(label: "test-server")
                logger.logLevel = .warning
                return Application(
                    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                    onServerRunning: { await onRunning($0.localAddress?.port ?? 0) }, logger: logger)
            }, body)
    }

    /// A port on 127.0.0.1 where nothing listens (bound, then released).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }
}

/// A TCP server that is not an HTTP server, to see how the runner tells failures apart.
enum RawTCPServer {
    enum Behaviour: Sendable {
        /// Accepts and never answers.
        case silent
        /// Accepts and closes at once.
        case hangUp
        /// Sends this text (say, an SSH banner), then closes.
        case send(String)
        /// Sends this text, then neither sends more nor closes.
        case sendAndStall(String)
    }

    static func with<T: Sendable>(_ behaviour: Behaviour, _ body: @Sendable (URL) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture { try child.pipeline.syncOperations.addHandler(Handler(behaviour: behaviour)) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        do {
            let result = try await body(URL(string: "http://127.0.0.1:\(port)")!)
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let behaviour: Behaviour

        init(behaviour: Behaviour) {
            self.behaviour = behaviour
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch behaviour {
            case .silent:
                break
            case .hangUp:
                context.close(promise: nil)
            case .send(let text):
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text))).whenComplete { _ in
                    context.close(promise: nil)
                }
            case .sendAndStall(let text):
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: text)), promise: nil)
            }
        }
    }
}

/// Labs written inline for a test, with a brief long enough to pass the validator.
enum TestLab {
    static func make(_ yaml: String) throws -> Lab {
        let brief = Array(repeating: "word", count: 160).joined(separator: " ")
        let result = LabLoader.check(yaml: yaml, brief: brief, fileID: "test", path: "test.yaml", briefPath: "test.md")
        guard let lab = result.lab else { throw InvalidLab(problems: result.problems) }
        return lab
    }

    /// A one-stage lab around `steps` (YAML list items indented by 6 spaces).
    static func stage(_ steps: String, random: String = "  word: word") throws -> Lab {
        try make(
            """
            id: test
            title: Test
            summary: A lab for a test.
            random:
            \(random)
            stages:
              - id: only
                title: The only stage
                goal: Pass.
                hint: Read the failure.
                steps:
            \(steps)
            """)
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A lab shipped in Content/labs.
    static func shipped(_ id: String) throws -> Lab {
        try LabLoader(directory: repositoryRoot.appendingPathComponent("Content/labs")).load(id: id)
    }
}
