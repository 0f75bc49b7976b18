import Foundation
import HTTPTypes
import Hummingbird
import Learning
import NIOCore

/// `GET /api/v1/export` (JSON, or Markdown with `?format=markdown`) and `POST /api/v1/import`
/// (`?dryRun=true` to only see what would change): the caller's own data, never anyone else's.
struct DataExportController {
    let services: DataExportServices

    /// What an import did or would do, as the API answers it.
    struct ImportResult: Codable {
        struct Count: Codable {
            let added: Int
            let updated: Int
            let unchanged: Int
        }

        let dryRun: Bool
        /// True when the changes were stored (never in a dry run).
        let imported: Bool
        let changes: [String]
        let notices: [String]
        let counts: [String: Count]

        init(_ outcome: LearnerDataTransfer.Outcome) {
            dryRun = outcome.dryRun
            imported = !outcome.dryRun && !outcome.plan.isEmpty
            changes = outcome.plan.changes
            notices = outcome.notices
            counts = outcome.plan.counts.mapValues { Count(added: $0.added, updated: $0.updated, unchanged: $0.unchanged) }
        }
    }

    /// An RFC 9457 problem with every reason the file was refused.
    struct ImportRefusal: Codable {
        var type = "about:blank"
        let title: String
        let status: Int
        let detail: String
        let problems: [String]
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/export", use: export)
        group.post("/import", use: importFile)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let now = WallClock.nowMilliseconds()
        let day = ExportTime.day(milliseconds: now)
        var headers: HTTPFields = [.cacheControl: "no-store"]
        switch request.uri.queryParameters.get("format") ?? "json" {
        case "json":
            headers[.contentType] = "application/json; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"groundwork-export-\(day).json\""
            let text = try await services.transfer.json(learnerID: learner.id, now: now)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
        case "markdown":
            headers[.contentType] = "text/markdown; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"groundwork-export-\(day).md\""
            let text = try await services.transfer.markdown(learnerID: learner.id, now: now)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        case let other:
            throw UserFacingError(
                .badRequest, "There is no export format '\(other.prefix(40))'. Use ?format=json (the default, for importing) or ?format=markdown.")
        }
    }

    @Sendable func importFile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let learner = try context.requireLearner()
        let dryRun: Bool
        switch request.uri.queryParameters.get("dryRun") ?? "false" {
        case "true", "1": dryRun = true
        case "false", "0": dryRun = false
        case let other:
            throw UserFacingError(.badRequest, "dryRun is true or false, not '\(other.prefix(40))'.")
        }
        if services.mode == .team {
            try await services.importsPerLearner.enforce(learner.id) {
                "You have imported \(services.importsPerLearner.limit) files in the last 10 minutes. Wait \($0) seconds and import again."
            }
        }
        let body = try await Self.collect(request)
        do {
            let outcome = try await services.transfer.importFile(Data(buffer: body), learnerID: learner.id, dryRun: dryRun)
            return try JSONBody.response(ImportResult(outcome))
        } catch let refused as ImportProblems {
            return try Self.refusal(refused)
        }
    }

    /// The body, up to the export size limit; a larger one is refused before it is read.
    static func collect(_ request: Request) async throws -> ByteBuffer {
        let limit = ExportDocument.maxBytes
        let tooLarge = UserFacingError(
            .contentTooLarge,
            "The file is larger than \(limit / 1_048_576) MB, the most an import reads. Import the file groundwork export wrote, or split it.")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
    }

    static func refusal(_ refused: ImportProblems) throws -> Response {
        let count = refused.problems.count
        let body = ImportRefusal(
            title: HTTPResponse.Status.unprocessableContent.reasonPhrase, status: 422,
            detail:
                "The file has \(count == 1 ? "a problem" : "\(count) problems"); nothing was imported. Fix \(count == 1 ? "it" : "them") and import again.",
            problems: refused.problems)
        return Response(
            status: .unprocessableContent, headers: [.contentType: "application/problem+json", .cacheControl: "no-store"],
            body: .init(byteBuffer: try JSONBody.bytes(body)))
    }
}
