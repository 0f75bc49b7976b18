import Prometheus

/// What the operations endpoints use: a readiness check of the database, the metrics registry and
/// the OpenAPI document as served.
struct OperationsServices: Sendable {
    /// Throws when the database does not answer.
    let checkDatabase: @Sendable () async throws -> Void
    let metrics: PrometheusCollectorRegistry
    /// See ``OpenAPIDocument``.
    let openAPIDocument: String
}
