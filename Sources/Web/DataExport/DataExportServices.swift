import Hummingbird
import Learning

/// What the "Your data" page and the export and import API use: the transfer and the renderer.
struct DataExportServices: Sendable {
    let transfer: LearnerDataTransfer
    let pages: PageRenderer
}

extension DataExportServices {
    /// The "Your data" page and the export and import API, for ``buildRouter(_:)``.
    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        DataPages(services: self).addRoutes(to: router)
        DataExportController(services: self).addRoutes(to: api)
    }
}
