import Prometheus

/// What the operations endpoints use: a readiness check of the database and the metrics registry.
struct OperationsServices: Sendable {
    /// Throws when the database does not answer.
    let checkDatabase: @Sendable () async throws -> Void
    let metrics: PrometheusCollectorRegistry
}
