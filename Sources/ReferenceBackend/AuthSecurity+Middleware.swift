import HTTPTypes
import Hummingbird

/// `X-Content-Type-Options: nosniff` and `X-Frame-Options: DENY` on every answer — errors too,
/// unless the `headers-only-on-success` mutant forgets them there.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let onErrorsToo: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPResponseError where onErrorsToo {
            response = try error.response(from: request, context: context)
        }
        response.headers[Self.contentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        return response
    }

    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!
}

/// CORS for exactly one origin: its preflights get the methods and headers it may use, its answers
/// `Access-Control-Allow-Origin`; any other origin gets no CORS header at all, so browsers refuse.
struct CORSPolicyMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let allowedOrigin: String
    /// The mutant: trust whatever Origin the request names.
    let reflectsAnyOrigin: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origin == allowedOrigin || reflectsAnyOrigin else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: origin,
                    .accessControlAllowMethods: "GET, POST, PUT, PATCH, DELETE",
                    .accessControlAllowHeaders: "Authorization, Content-Type",
                    .accessControlMaxAge: "600",
                    .vary: "Origin",
                ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        return response
    }
}
