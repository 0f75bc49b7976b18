import Hummingbird
import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client is too slow: a request's head must arrive within
/// `headTimeout` of the connection opening, its body within `bodyTimeout` of the head, and the
/// next request on a kept-alive connection within `idleTimeout` of the last response. A client that
/// sends half a request and waits (a "slowloris") would otherwise hold its connection, and a file
/// descriptor, for ever; with a few hundred of them the server accepted nobody.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private struct Timeouts {
        let head, body, idle: TimeAmount
    }

    private let timeouts: Timeouts
    private var deadline: Scheduled<Void>?

    init(_ timeouts: ClientTimeouts) {
        func amount(_ seconds: Double) -> TimeAmount { .milliseconds(Int64(seconds * 1000)) }
        self.timeouts = Timeouts(head: amount(timeouts.head), body: amount(timeouts.body), idle: amount(timeouts.idle))
    }

    func handlerAdded(context: ChannelHandlerContext) {
        arm(timeouts.head, context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(timeouts.body, context)
        case .body: break
        case .end:
            deadline?.cancel()
            deadline = nil
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            arm(timeouts.idle, context)
        }
        context.write(data, promise: promise)
    }

    private func arm(_ timeout: TimeAmount, _ context: ChannelHandlerContext) {
        deadline?.cancel()
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            channel.close(promise: nil)
        }
    }
}
