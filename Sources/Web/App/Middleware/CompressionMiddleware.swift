import HTTPTypes
import Hummingbird
import NIOCore

/// Sends pages, styles, scripts and SVG gzipped to clients that accept it (`Accept-Encoding`).
/// A response already encoded (the roadmap page keeps its own gzipped copy, see ``GzipTemplate``),
/// a small one, a live event stream or anything else is sent as it is.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// Below this, gzip saves too little to be worth the time.
    static let minimumSize = 1024
    static let compressedTypes = ["text/html", "text/css", "text/javascript", "application/javascript", "image/svg+xml"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        guard let type = response.headers[.contentType], Self.compressedTypes.contains(where: { type.hasPrefix($0) }) else {
            return response
        }
        response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        guard request.method == .get, response.status == .ok, response.headers[.contentEncoding] == nil,
            Gzip.accepted(request.headers[.acceptEncoding]),
            (response.body.contentLength ?? Self.minimumSize) >= Self.minimumSize
        else { return response }
        let collector = Collector()
        try await response.body.write(collector)
        guard collector.buffer.readableBytes >= Self.minimumSize else {
            response.body = .init(byteBuffer: collector.buffer)
            return response
        }
        response.headers[.contentEncoding] = "gzip"
        response.headers[.contentLength] = nil
        response.body = .init(byteBuffer: Gzip.compress(collector.buffer))
        return response
    }

    /// Gathers a response body into one buffer.
    private final class Collector: ResponseBodyWriter {
        var buffer = ByteBuffer()

        func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            self.buffer.writeBuffer(&buffer)
        }

        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
