import Dispatch
import Hummingbird
import Prometheus

/// Records, per matched route, how many requests ended with which status and how long they took,
/// into the registry that `/metrics` exposes in Prometheus text format.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context: context, status: status, start: start)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(request, context: context, status: status, start: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: HTTPResponse.Status, start: UInt64) {
        let route = context.endpointPath ?? "unmatched"
        registry.makeCounter(
            name: "http_requests_total",
            labels: [
                ("method", request.method.rawValue), ("route", route), ("status", String(status.code)),
            ]
        ).increment()
        registry.makeDurationHistogram(
            name: "http_request_duration_seconds", labels: [("route", route)],
            buckets: [
                .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
            ]
        ).record(.nanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)))
    }
}
