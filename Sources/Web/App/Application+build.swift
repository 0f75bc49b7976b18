import Curriculum
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Storage

/// Everything the web application needs from outside: configuration, loaded content, an open database.
public struct AppDependencies: Sendable {
    public let configuration: AppConfiguration
    public let roadmap: Roadmap
    public let database: Database

    public init(configuration: AppConfiguration, roadmap: Roadmap, database: Database) {
        self.configuration = configuration
        self.roadmap = roadmap
        self.database = database
    }
}

/// The personal-mode learner's fixed id.
let personalLearnerID = "personal"

/// Builds the Hummingbird application: repositories, middleware chain and routes, with deadlines
/// for slow clients (``RequestDeadlineHandler``) and at most `maxConnections` open at once, so
/// the process keeps file descriptors for its database and files whatever clients do.
public func buildApplication(_ dependencies: AppDependencies, logger: Logger) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(dependencies)
    let configuration = dependencies.configuration
    let timeouts = configuration.clientTimeouts
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: [RequestDeadlineHandler(timeouts)])),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "Groundwork",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)
        ),
        logger: logger
    )
}

/// The router: the middleware every request passes through, in order, then each feature's routes.
/// Tests drive it directly with `app.test(.router)`.
public func buildRouter(_ dependencies: AppDependencies) async throws -> Router<AppRequestContext> {
    let configuration = dependencies.configuration
    let features = try await Features(dependencies)
    let router = Router(context: AppRequestContext.self)
    let routeMethods = RouteMethods()
    addMiddleware(to: router, features: features, configuration: configuration, routes: routeMethods)
    let api = router.group("/api/v1")
    OperationsController(services: features.operations).addRoutes(to: router)
    RoadmapPages(services: features.roadmap).addRoutes(to: router)
    RoadmapController(services: features.roadmap).addRoutes(to: api)
    ProgressController(services: features.roadmap).addRoutes(to: api)
    TopicPages(services: features.topics).addRoutes(to: router)
    QuizPages(services: features.quizzes).addRoutes(to: router)
    ReviewPages(services: features.review).addRoutes(to: router)
    LabPages(services: features.labs).addRoutes(to: router)
    LabRunController(services: features.labs).addRoutes(to: api)
    features.sqlPractice.addRoutes(to: router)
    TokenPages(services: features.tokens).addRoutes(to: router)
    TokenController(services: features.tokens).addRoutes(to: api)
    features.notes.addRoutes(to: router, api: api)
    features.search.addRoutes(to: router, api: api)
    features.data.addRoutes(to: router, api: api)
    if configuration.mode == .team { addTeamRoutes(to: router, features: features) }
    routeMethods.load(router.routes)
    return router
}

/// The middleware every request passes, outermost first.
private func addMiddleware(
    to router: Router<AppRequestContext>, features: Features, configuration: AppConfiguration, routes: RouteMethods
) {
    router.add(middleware: MetricsMiddleware(registry: features.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: CompressionMiddleware())
    router.add(middleware: ErrorMiddleware(pages: features.pages, routes: routes))
    router.add(middleware: HostCheckMiddleware(accepted: configuration.acceptedHostNames))
    router.add(middleware: StaticFilesMiddleware(publicDirectory: configuration.publicDirectory))
    router.add(middleware: features.session)
    router.add(middleware: CSRFMiddleware(trustProxy: configuration.trustProxy, routes: routes))
    router.add(middleware: NavigationMiddleware(reviews: features.reviewCount))
}

/// Accounts (sign-up, sign-in, the account page) and administration: team mode only.
private func addTeamRoutes(to router: Router<AppRequestContext>, features: Features) {
    AccountPages(services: features.accounts).addRoutes(to: router)
    AccountSettingsPages(services: features.accounts).addRoutes(to: router)
    AdminPages(services: features.admin).addRoutes(to: router)
}
