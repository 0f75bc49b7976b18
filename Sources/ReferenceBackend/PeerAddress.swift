import Hummingbird

/// The address of the client a request came from. Hummingbird's `BasicRequestContext` does not
/// carry it, so the reference server's responder keeps it here while a request is handled; a lab
/// that reports the caller's address (whoami) reads it.
enum PeerAddress {
    @TaskLocal static var current: String?
}

/// Hands each request to a lab's router with a `BasicRequestContext`, as `Application(router:)`
/// would, and with the client's address in ``PeerAddress/current``.
struct PeerAddressResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == BasicRequestContext {
    /// What the application creates per request: the router's context and the client's address.
    struct Context: InitializableFromSource {
        let basic: BasicRequestContext
        let address: String?

        init(source: ApplicationRequestContextSource) {
            basic = BasicRequestContext(source: source)
            address = source.channel.remoteAddress?.ipAddress
        }
    }

    let inner: Inner

    func respond(to request: Request, context: Context) async throws -> Response {
        try await PeerAddress.$current.withValue(context.address) {
            try await inner.respond(to: request, context: context.basic)
        }
    }
}
