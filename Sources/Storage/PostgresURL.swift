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
              let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme) else {
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

    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: .disable
        )
        configuration.options.maximumConnections = 20
        return configuration
    }
}
