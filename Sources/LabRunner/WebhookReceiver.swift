import Foundation
import Hummingbird
import LabKit
import Logging
import ServiceLifecycle

/// A throwaway HTTP server on 127.0.0.1 (a port the system picks) that records the calls a
/// learner's server makes to it, for the `webhook` probe. It answers every call 204.
struct WebhookReceiver: Sendable {
    let port: Int
    private let calls: AsyncStream<ReceivedCall>

    /// A call as received, with the method, since checks on a snapshot cannot see it.
    struct ReceivedCall: Sendable {
        let method: String
        let path: String
        let message: MessageSnapshot
    }

    /// Starts a receiver, runs `body` with it, and stops it.
    static func with<T: Sendable>(_ body: @Sendable (WebhookReceiver) async -> T) async throws -> T {
        let (calls, callSink) = AsyncStream.makeStream(of: ReceivedCall.self)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            var request = request
            let body = (try? await request.collectBody(upTo: HTTPTransport.bodyLimit)) ?? ByteBuffer()
            let headers = request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
            callSink.yield(
                ReceivedCall(
                    method: request.method.rawValue, path: request.uri.description,
                    message: MessageSnapshot(status: nil, headers: headers, body: Data(buffer: body))))
            return Response(status: .noContent)
        }
        var logger = Logger(label: "groundwork.webhook-receiver")
        logger.logLevel = .warning
        let app = Application(
            responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            }, logger: logger)
        let services = ServiceGroup(services: [app], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await services.triggerGracefulShutdown()
                throw TransportError(
                    kind: .other, message: "the webhook receiver could not listen on 127.0.0.1", hint: "is the machine out of ports?")
            }
            let result = await body(WebhookReceiver(port: port, calls: calls))
            callSink.finish()
            await services.triggerGracefulShutdown()
            return result
        }
    }

    /// The first call to arrive within `milliseconds`, or `nil`.
    func firstCall(within milliseconds: Int) async -> ReceivedCall? {
        let calls = self.calls
        return await withTaskGroup(of: ReceivedCall?.self) { group in
            group.addTask {
                var iterator = calls.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
