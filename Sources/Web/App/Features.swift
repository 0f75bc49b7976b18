import Curriculum
import Foundation
import Hummingbird
import Prometheus
import Storage

/// The composition root: each feature's services, made once at start-up from the dependencies.
/// This is the one place that turns the database into repositories and caches; features receive
/// only what they use.
struct Features {
    let pages: PageRenderer
    let metrics: PrometheusCollectorRegistry
    let session: SessionMiddleware
    let operations: OperationsServices
    let roadmap: RoadmapServices
    let topics: TopicServices
    let quizzes: QuizServices
    let review: ReviewServices
    let reviewCount: ReviewCount
    let labs: LabServices
    let sqlPractice: SQLPracticePages
    let accounts: AccountServices
    let admin: AdminServices
    let tokens: TokenServices
    let notes: NoteServices
    let search: SearchServices
    let data: DataExportServices

    init(_ dependencies: AppDependencies) async throws {
        let configuration = dependencies.configuration
        let database = dependencies.database
        let roadmap = dependencies.roadmap
        let mode = configuration.mode
        let notices = ChangeNotices.shared(through: database)
        let limits = CacheLimits()
        let users = AnnouncedUserRepository(SQLUserRepository(database: database), notices: notices)
        let activity = ActivityRecorder(users: users)
        let sessions = CachedSessionRepository(SQLSessionRepository(database: database), notices: notices, limits: limits)
        let tokens = CachedTokenRepository(SQLTokenRepository(database: database), notices: notices, limits: limits)
        let labRuns = CachedLabRunRepository(SQLLabRunRepository(database: database), notices: notices, limits: limits)
        let rateLimits = SQLRateLimitRepository(database: database)
        let labs = try LabCatalog.load(directory: URL(fileURLWithPath: configuration.labsDirectory))
        let quiz = CachedQuizRepository(SQLQuizRepository(database: database), notices: notices, limits: limits)
        let labPath = LabPath(catalog: labs, roadmap: roadmap)
        let standing = LearnerStanding(
            progress: CachedProgressRepository(SQLProgressRepository(database: database), notices: notices, limits: limits),
            labRuns: labRuns, labs: labs
        )
        let sqlPractice = try SQLPracticeServices.load(
            configuration.sqlPractice,
            progress: CachedExerciseProgressRepository(
                SQLExerciseProgressRepository(database: database), notices: notices, limits: limits
            ))
        pages = try await PageRenderer(mode: mode)
        metrics = PrometheusCollectorRegistry()
        let personalLearner = mode == .personal ? try await users.ensure(id: personalLearnerID, email: "learner@localhost") : nil
        session = SessionMiddleware(
            mode: mode, personalLearner: personalLearner, sessions: sessions, tokens: tokens, activity: activity,
            trustProxy: configuration.trustProxy)
        operations = OperationsServices(
            checkDatabase: { try await database.checkReadiness() }, metrics: metrics, openAPIDocument: try OpenAPIDocument.served(labs: labs))
        self.roadmap = RoadmapServices(
            roadmap: roadmap, mode: mode, standing: standing, quiz: quiz, labPath: labPath,
            page: RoadmapPageView(roadmap: roadmap, pages: pages, notices: notices),
            activity: SQLActivityRepository(database: database), notices: notices)
        quizzes = QuizServices(roadmap: roadmap, pages: pages, quiz: quiz)
        review = ReviewServices(roadmap: roadmap, pages: pages, quiz: quiz)
        reviewCount = ReviewCount(roadmap: roadmap, quiz: quiz, notices: notices)
        let noteRepository = CachedNoteRepository(SQLNoteRepository(database: database), notices: notices, limits: limits)
        notes = NoteServices(roadmap: roadmap, pages: pages, notes: noteRepository)
        topics = TopicServices(
            roadmap: roadmap, mode: mode, standing: standing, page: TopicPageView(pages: pages, roadmap: roadmap),
            quizzes: quizzes, sqlPractice: sqlPractice, notes: noteRepository)
        self.labs = LabServices(
            roadmap: roadmap, mode: mode, pages: pages, labs: labs, path: labPath, labRuns: labRuns,
            liveRuns: LiveRuns(repository: SQLLiveLabRunRepository(database: database)),
            labRunsPerLearner: RateLimit(scope: "lab-runs-per-learner", limit: 30, window: 600, events: rateLimits),
            uploadsPerLearner: RateLimit(scope: "lab-run-uploads-per-learner", limit: 20, window: 600, events: rateLimits), standing: standing
        )
        self.sqlPractice = SQLPracticePages(
            sql: sqlPractice, pages: pages, mode: mode,
            attempts: RateLimit(scope: "sql-attempts-per-learner", limit: 120, window: 60, events: rateLimits)
        )
        let invitations = SQLInvitationRepository(database: database)
        let settings = SQLSettingsRepository(database: database, defaultSignUpMode: configuration.signUpMode)
        let resets = AnnouncedPasswordResetRepository(SQLPasswordResetRepository(database: database), notices: notices)
        accounts = AccountServices(
            pages: pages, users: users, sessions: sessions, invitations: invitations, settings: settings, resets: resets,
            hasher: PasswordHasher(logN: configuration.passwordCost), signInLimits: SignInLimits(events: rateLimits), activity: activity,
            trustProxy: configuration.trustProxy, sessionLifetime: configuration.sessionLifetime
        )
        admin = AdminServices(
            pages: pages,
            administration: AccountAdministration(
                users: users, invitations: invitations, settings: settings, resets: resets, audit: SQLAuditLogRepository(database: database)),
            trustProxy: configuration.trustProxy)
        self.tokens = TokenServices(pages: pages, tokens: tokens)
        search = SearchServices.indexing(
            roadmap: roadmap, labs: labs, sqlPractice: sqlPractice, pages: pages,
            index: SQLSearchRepository(database: database))
        data = DataExportServices(
            transfer: LearnerDataTransfer(roadmap: roadmap, archives: SQLLearnerArchiveRepository(database: database), notices: notices),
            pages: pages, mode: mode,
            importsPerLearner: RateLimit(scope: "imports-per-learner", limit: 20, window: 600, events: rateLimits))
    }
}
