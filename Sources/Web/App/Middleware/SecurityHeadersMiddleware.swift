import HTTPTypes
import Hummingbird

/// Headers every response carries so browsers refuse to sniff types, frame our pages or load
/// scripts from elsewhere.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[values: HTTPField.Name("X-Frame-Options")!] = ["DENY"]
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let retryAfter = Self("Retry-After")!
}
