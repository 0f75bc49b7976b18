import Foundation
import Hummingbird

/// Stops other websites from changing a learner's data through their browser (CSRF).
///
/// - Every browser gets a random `gw_csrf` cookie (HttpOnly, SameSite=Lax); forms echo it in `_csrf`.
///   A form post whose field does not match is refused with 403.
/// - A request whose `Origin` is another site is refused, whatever it carries.
/// - API writes made with cookies (not a bearer token) must be `application/json`: a cross-site page
///   cannot send that without a CORS preflight, which this server never approves.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "gw_csrf"
    static let fieldName = "_csrf"
    let trustProxy: Bool
    /// Requests no route answers go straight on to their 404 or 405: there is nothing to protect.
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // A bearer token is never sent by a browser on its own: nothing to forge, no cookie to hand out.
        guard context.authentication != .bearer else { return try await next(request, context) }
        var context = context
        let existing = request.cookies[Self.cookieName]?.value
        context.csrfToken = existing ?? SecretToken.generate()

        var request = request
        if !Self.isSafe(request.method) && routes.methods(for: request.uri.path).contains(request.method.rawValue) {
            try checkOrigin(request)
            if request.uri.path.hasPrefix("/api/") {
                // Only POST can be sent cross-site without a preflight, and only with a body.
                let mayCarryBody = request.method == .post || request.headers[.contentType] != nil
                guard !mayCarryBody || Self.isJSON(request) else {
                    throw UserFacingError(.unsupportedMediaType, "Send the body as JSON with 'Content-Type: application/json'.")
                }
            } else {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let submitted = FormFields(body).first(Self.fieldName)
                guard let existing, let submitted, SecretToken.constantTimeEquals(existing, submitted) else {
                    throw UserFacingError(
                        .forbidden, "This form has expired or was sent from another site. Reload the page and try again (cookies must be enabled).")
                }
            }
        }

        var response = try await next(request, context)
        if existing == nil {
            response.setCookie(
                Cookie(
                    name: Self.cookieName, value: context.csrfToken, path: "/",
                    secure: request.isSecure(trustProxy: trustProxy), httpOnly: true, sameSite: .lax))
        }
        return response
    }

    private func checkOrigin(_ request: Request) throws {
        guard let origin = request.headers[.origin] else { return }
        let host = request.head.authority ?? ""
        guard let components = URLComponents(string: origin), let originHost = components.host else {
            throw UserFacingError(.forbidden, "Requests from an opaque origin ('\(origin)') may not change data.")
        }
        let originAuthority = components.port.map { "\(originHost):\($0)" } ?? originHost
        guard originAuthority.lowercased() == host.lowercased() else {
            throw UserFacingError(.forbidden, "Requests from \(origin) may not change data on this server.")
        }
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        [.get, .head, .options].contains(method)
    }

    static func isJSON(_ request: Request) -> Bool {
        guard let type = request.headers[.contentType]?.split(separator: ";").first else { return false }
        let mediaType = type.trimmingSpaces.lowercased()
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }
}

/// The fields of an `application/x-www-form-urlencoded` body.
struct FormFields {
    private let pairs: [(String, String)]

    /// Reads the request's form body (up to the context's size limit). A NUL character in any
    /// field is refused with 422 here, at the edge, so it never reaches a database (PostgreSQL
    /// refuses NUL in text).
    init(_ request: Request, context: AppRequestContext) async throws {
        var request = request
        self.init(try await request.collectBody(upTo: context.maxUploadSize))
        if pairs.contains(where: { $0.0.contains("\u{0}") || $0.1.contains("\u{0}") }) {
            throw UserFacingError(
                .unprocessableContent, "A field contains the NUL character (%00), which text here cannot hold. Remove it and send again.")
        }
    }

    init(_ body: ByteBuffer) {
        let text = String(buffer: body)
        pairs = text.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring?) -> String {
                guard let part else { return "" }
                return part.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (decode(parts.first), decode(parts.count > 1 ? parts[1] : nil))
        }
    }

    func first(_ name: String) -> String? {
        pairs.first { $0.0 == name }?.1
    }
}
