import Foundation
import PostgresNIO

/// A parsed `postgres://user:password@host:port/database` URL, with messages that say which part is wrong.
struct PostgresURL {
    let host: String
    let port: Int
    let username: String
    let password: String?
    let database: String

    init(_ text: String) throws(DatabaseError) {
        let example = "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else {
            throw .invalidURL("--database '\(text)' is not a PostgreSQL URL: \(example)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw .invalidURL("--database URL has no host: \(example)")
        }
        guard let user = components.percentEncodedUser, !user.isEmpty else {
            throw .invalidURL("--database URL has no user name: \(example)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw .invalidURL("--database URL names no database: \(example)")
        }
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.percentEncodedPassword.map { $0.removingPercentEncoding ?? $0 }
        self.database = database
    }

    /// Connections each Groundwork process keeps open to PostgreSQL.
    static let poolSize = 10

    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable
        )
        // A fixed pool. PostgresClient arms an idle timer and a keep-alive timer each time a
        // connection above the minimum goes idle, and a timer's memory stays until it would have
        // fired: under load that is a lease a request and grew the process by ~1 MB/s (see
        // bench/RESULTS.md). With the minimum at the maximum no connection ever idles out.
        configuration.options.minimumConnections = Self.poolSize
        configuration.options.maximumConnections = Self.poolSize
        configuration.options.keepAliveBehavior = nil
        // A connection attempt to a host that drops packets gives up after 3 s instead of 10 s
        // (requests never wait that long anyway: see PostgresConnector).
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }
}
