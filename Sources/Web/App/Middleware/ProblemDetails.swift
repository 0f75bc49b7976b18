import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import Storage

/// An error a person can act on: the status, a short title and a `detail` saying what to do.
/// ``ErrorMiddleware`` shows it as `application/problem+json` (RFC 9457) on the API and as an error
/// page everywhere else.
public struct UserFacingError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let detail: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }
}

/// The RFC 9457 body of every API error.
struct ProblemDetails: Codable, Sendable {
    var type = "about:blank"
    let title: String
    let status: Int
    let detail: String
}

/// Turns every error into a response that helps and reveals nothing internal: known errors keep
/// their message; anything unexpected is logged with an id and answered with a generic 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = describe(error, request: request, context: context)
            if request.uri.path.hasPrefix("/api/") || Self.prefersJSON(request) {
                return Self.problemResponse(problem)
            }
            return pages.errorPage(problem, context: context)
        }
    }

    private func describe(_ error: any Error, request: Request, context: Context) -> UserFacingError {
        switch error {
        case let error as UserFacingError:
            return error
        case is PasswordHasher.Busy:
            return UserFacingError(
                .serviceUnavailable, "Too many people are signing in right now. Wait a few seconds and try again.",
                headers: [.retryAfter: "5"])
        case is HTTPParserError:
            return UserFacingError(.badRequest, "The request is not well-formed HTTP (its body or headers could not be parsed).")
        case let error as DatabaseUnavailable:
            context.logger.warning("database unavailable", metadata: ["cause": "\(error.cause)", "path": "\(request.uri.path)"])
            return UserFacingError(.serviceUnavailable, error.detail, headers: [.retryAfter: "\(error.retryAfterSeconds)"])
        case is NIOTooManyBytesError:
            return UserFacingError(
                .contentTooLarge, "The request body is larger than \(context.maxUploadSize / 1024) KiB, the most this server accepts.")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    return UserFacingError(
                        .methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path); use \(allowed.joined(separator: ", ")).",
                        headers: [.allow: allowed.joined(separator: ", ")])
                }
                return UserFacingError(.notFound, "There is nothing at \(request.uri.path). Check the address, or start from the roadmap.")
            case .contentTooLarge:
                return UserFacingError(
                    .contentTooLarge, "The request body is larger than \(context.maxUploadSize / 1024) KiB, the most this server accepts.")
            case .methodNotAllowed:
                return UserFacingError(.methodNotAllowed, "\(request.method) is not allowed on \(request.uri.path).", headers: error.headers)
            default:
                if error.status.code < 500 {
                    return UserFacingError(error.status, error.body ?? error.status.reasonPhrase)
                }
            }
        default:
            break
        }
        let id = UUID().uuidString.prefix(8).lowercased()
        context.logger.error(
            "request failed", metadata: ["error.id": "\(id)", "error": "\(String(reflecting: error))", "path": "\(request.uri.path)"])
        return UserFacingError(.internalServerError, "Something went wrong on our side. It has been logged as error \(id); please try again.")
    }

    static func problemResponse(_ error: UserFacingError) -> Response {
        let problem = ProblemDetails(title: error.status.reasonPhrase, status: error.status.code, detail: error.detail)
        let data = (try? JSONEncoder().encode(problem)) ?? Data()
        var headers = error.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    private static func prefersJSON(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.contains("json") && !accept.contains("html")
    }
}
