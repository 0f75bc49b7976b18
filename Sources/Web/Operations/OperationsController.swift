import Foundation
import Hummingbird
import Prometheus

/// `/health`, `/ready`, `/metrics` and the OpenAPI document: what load balancers, Prometheus and
/// API clients ask for.
struct OperationsController {
    let services: OperationsServices
    let openAPIDocument: ByteBuffer

    init(services: OperationsServices) {
        self.services = services
        self.openAPIDocument = ByteBuffer(string: services.openAPIDocument)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/health", use: health)
        router.get("/ready", use: ready)
        router.get("/metrics", use: metrics)
        router.get("/api/v1/openapi.yaml", use: openAPI)
    }

    /// Liveness: answers without touching anything, the baseline for benchmarks.
    @Sendable func health(_ request: Request, context: AppRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
    }

    /// Readiness: the database answers a query.
    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        do {
            try await services.checkDatabase()
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        } catch {
            context.logger.warning("readiness check failed", metadata: ["error": "\(error)"])
            throw UserFacingError(.serviceUnavailable, "The database is not answering.")
        }
    }

    @Sendable func metrics(_ request: Request, context: AppRequestContext) -> Response {
        var buffer: [UInt8] = []
        services.metrics.emit(into: &buffer)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }

    @Sendable func openAPI(_ request: Request, context: AppRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: openAPIDocument))
    }
}
