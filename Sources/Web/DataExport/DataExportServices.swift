import Hummingbird
import Learning

/// What the "Your data" page and the export and import API use: the transfer, the renderer, and
/// in team mode a limit on imports (each reads up to 8 MB and writes in one transaction).
struct DataExportServices: Sendable {
    let transfer: LearnerDataTransfer
    let pages: PageRenderer
    let mode: AppConfiguration.Mode
    let importsPerLearner: RateLimit
}

extension DataExportServices {
    /// The "Your data" page and the export and import API, for ``buildRouter(_:)``.
    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        DataPages(services: self).addRoutes(to: router)
        DataExportController(services: self).addRoutes(to: api)
    }
}
