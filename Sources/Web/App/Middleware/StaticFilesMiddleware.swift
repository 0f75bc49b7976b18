import Foundation
import Hummingbird

/// Serves `Public/`, but only for the names at its top (`/css/…`, `/js/…`), so a page request never
/// waits for a file-system lookup that cannot succeed.
struct StaticFilesMiddleware<Files: RouterMiddleware>: RouterMiddleware where Files.Context == AppRequestContext {
    typealias Context = AppRequestContext
    let files: Files
    /// `/name/` for each folder in Public, `/name` for each file.
    let prefixes: [String]

    init(directory: String, files: Files) {
        self.files = files
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        prefixes = names.map { name in
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory)
            return isDirectory.boolValue ? "/\(name)/" : "/\(name)"
        }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard prefixes.contains(where: { path.hasPrefix($0) }) else { return try await next(request, context) }
        return try await files.handle(request, context: context, next: next)
    }
}

extension StaticFilesMiddleware where Files == FileMiddleware<AppRequestContext, LocalFileSystem> {
    /// Serves `publicDirectory`, each file cacheable for an hour.
    init(publicDirectory: String) {
        self.init(
            directory: publicDirectory,
            files: FileMiddleware(
                publicDirectory, cacheControl: .init([(MediaType(type: .any), [.maxAge(3600)])]), searchForIndexHtml: false
            ))
    }
}
