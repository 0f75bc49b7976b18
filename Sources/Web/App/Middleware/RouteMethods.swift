import Hummingbird
import Synchronization

/// Which methods each registered path answers, so a request with the wrong method gets
/// 405 Method Not Allowed and an `Allow` header instead of a misleading 404 (RFC 9110 §15.5.6).
final class RouteMethods: Sendable {
    private struct Route {
        let components: [Substring]
        let method: HTTPRequest.Method
    }

    private let routes = Mutex<[Route]>([])

    /// Records the router's routes; called once, after every route is added.
    func load(_ descriptions: [Router<AppRequestContext>.RouteDescription]) {
        let loaded = descriptions.map { Route(components: Self.components(of: $0.path.description), method: $0.method) }
        routes.withLock { $0 = loaded }
    }

    /// The methods some route answers for `path`, sorted; empty when no route has this path at all.
    func methods(for path: String) -> [String] {
        let requested = Self.components(of: path)
        let matching = routes.withLock { routes in
            routes.filter { route in
                route.components.count == requested.count
                    && zip(route.components, requested).allSatisfy { pattern, value in
                        pattern == value || pattern.hasPrefix("{") || pattern.hasPrefix(":")
                    }
            }
        }
        var methods = Set(matching.map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    private static func components(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
