import Curriculum
import Foundation
import Hummingbird
import Logging
import Prometheus
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

/// Builds the Hummingbird application: repositories, middleware chain and routes.
public func buildApplication(_ dependencies: AppDependencies, logger: Logger) async throws -> some ApplicationProtocol {
    let router = try await buildRouter(dependencies)
    let configuration = dependencies.configuration
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Groundwork"),
        logger: logger
    )
}

/// The router with every middleware and route; tests drive it directly with `app.test(.router)`.
public func buildRouter(_ dependencies: AppDependencies) async throws -> Router<AppRequestContext> {
    let configuration = dependencies.configuration
    let database = dependencies.database
    let users = SQLUserRepository(database: database)
    let pages = try await PageRenderer(mode: configuration.mode)
    let notices = ChangeNotices.shared(through: database)
    let limits = CacheLimits()
    let services = AppServices(
        configuration: configuration,
        roadmap: dependencies.roadmap,
        database: database,
        notices: notices,
        pages: pages,
        roadmapPage: RoadmapPageView(roadmap: dependencies.roadmap, pages: pages, notices: notices),
        users: users,
        sessions: CachedSessionRepository(SQLSessionRepository(database: database), notices: notices, limits: limits),
        progress: CachedProgressRepository(SQLProgressRepository(database: database), notices: notices, limits: limits),
        tokens: CachedTokenRepository(SQLTokenRepository(database: database), notices: notices, limits: limits),
        quiz: CachedQuizRepository(SQLQuizRepository(database: database), notices: notices, limits: limits),
        hasher: PasswordHasher(logN: configuration.passwordCost),
        signInsPerAddress: RateLimit(scope: "sign-ins-per-address", limit: 30, window: 600, events: SQLRateLimitRepository(database: database)),
        failuresPerAccount: RateLimit(scope: "failures-per-account", limit: 5, window: 900, events: SQLRateLimitRepository(database: database)),
        metrics: PrometheusCollectorRegistry(),
        labs: try LabCatalog.load(directory: URL(fileURLWithPath: configuration.labsDirectory)),
        labRuns: CachedLabRunRepository(SQLLabRunRepository(database: database), notices: notices, limits: limits),
        liveRuns: LiveRuns(repository: SQLLiveLabRunRepository(database: database)),
        labRunsPerLearner: RateLimit(scope: "lab-runs-per-learner", limit: 30, window: 600, events: SQLRateLimitRepository(database: database)),
        sqlPractice: try SQLPracticeServices.load(configuration.sqlPractice, progress: CachedExerciseProgressRepository(
            SQLExerciseProgressRepository(database: database), notices: notices, limits: limits
        ))
    )
    let personalLearner = configuration.mode == .personal
        ? try await users.ensure(id: personalLearnerID, email: "learner@localhost") : nil

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: MetricsMiddleware(registry: services.metrics))
    router.add(middleware: SecurityHeadersMiddleware())
    let routeMethods = RouteMethods()
    router.add(middleware: ErrorMiddleware(pages: services.pages, routes: routeMethods))
    router.add(middleware: HostCheckMiddleware(accepted: configuration.acceptedHostNames))
    router.add(middleware: StaticFilesMiddleware(directory: configuration.publicDirectory, files: FileMiddleware(
        configuration.publicDirectory, cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])]), searchForIndexHtml: false
    )))
    router.add(middleware: SessionMiddleware(
        mode: configuration.mode, personalLearner: personalLearner, sessions: services.sessions,
        tokens: services.tokens, trustProxy: configuration.trustProxy
    ))
    router.add(middleware: CSRFMiddleware(trustProxy: configuration.trustProxy, routes: routeMethods))

    try OperationsController(services: services).addRoutes(to: router)
    RoadmapPages(services: services, topicPage: TopicPageView(pages: pages)).addRoutes(to: router)
    QuizPages(services: services).addRoutes(to: router)
    TokenPages(services: services).addRoutes(to: router)
    LabPages(services: services).addRoutes(to: router)
    SQLPracticePages(services: services).addRoutes(to: router)
    if configuration.mode == .team {
        AccountPages(services: services).addRoutes(to: router)
    }
    let api = router.group("/api/v1")
    RoadmapController(services: services).addRoutes(to: api)
    ProgressController(services: services).addRoutes(to: api)
    TokenController(services: services).addRoutes(to: api)
    LabRunController(services: services).addRoutes(to: api)
    routeMethods.load(router.routes)
    return router
}
