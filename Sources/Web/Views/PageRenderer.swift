import Foundation
import Hummingbird
import Mustache

/// Renders pages from the Mustache templates in `Templates/` (HTML-escaped unless a template says
/// otherwise with `{{{ }}}`, which only trusted content uses) inside the shared layout. Every
/// template starts with `{{% CONTENT_TYPE: GROUNDWORK }}`, so Mustache escapes with
/// ``Swift/String/htmlEscaped``, the one escaper the hand-assembled pages use too.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    let mode: AppConfiguration.Mode

    public init(mode: AppConfiguration.Mode) async throws {
        MustacheContentTypes.register(EscapedHTML(), named: EscapedHTML.name)
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw UserFacingError(.internalServerError, "The page templates are missing from the build.")
        }
        self.library = try await MustacheLibrary(directory: directory.path)
        self.mode = mode
    }

    /// What every page's frame shows: the title, who is signed in, the token for forms.
    struct Layout {
        let title: String
        let csrfToken: String
        let teamMode: Bool
        let signedIn: Bool
        let learnerEmail: String?
        /// The count after "Review" in the navigation (``ReviewCount/badge(_:)``), HTML.
        var reviewBadge = ""
        /// Which navigation link is where the learner is.
        var nav = Navigation(path: "")
        /// A one-line message at the top of the page ("You are signed in."), as HTML; or empty.
        var flash = ""
    }

    /// `aria-current` of each navigation link: "page" on the page itself, "true" below it
    /// (a lab's page is in Labs), nil elsewhere.
    struct Navigation {
        let roadmap, labs, sql, notes, review, tokens: String?

        init(path: String) {
            func mark(_ link: String, also prefixes: [String] = []) -> String? {
                if path == link { return "page" }
                if link != "/", path.hasPrefix(link + "/") { return "true" }
                return prefixes.contains { path.hasPrefix($0) } ? "true" : nil
            }
            roadmap = mark("/", also: ["/topics/"])
            labs = mark("/labs", also: ["/lab-runs/"])
            sql = mark("/sql")
            notes = mark("/notes")
            review = mark("/review")
            tokens = mark("/account/tokens")
        }
    }

    struct Page {
        let layout: Layout
        let content: Any
    }

    func render(_ template: String, title: String, content: Any, context: AppRequestContext, status: HTTPResponse.Status = .ok) -> Response {
        let team = mode == .team
        let layout = Layout(
            title: title, csrfToken: context.csrfToken, teamMode: team,
            signedIn: team && context.learner != nil, learnerEmail: team ? context.learner?.email : nil,
            reviewBadge: ReviewCount.badge(context.reviewsDue), nav: Navigation(path: context.pagePath), flash: Flash.html(context.flash)
        )
        return Self.htmlResponse(html(template, layout: layout, content: content), status: status)
    }

    /// Renders a template that is a fragment of a page (no layout) to text.
    func fragment(_ template: String, _ object: Any) -> String {
        library.render(object, withTemplate: template) ?? ""
    }

    /// Renders a template (with the layout it names) to text.
    func html(_ template: String, layout: Layout, content: Any) -> String {
        library.render(Page(layout: layout, content: content), withTemplate: template) ?? ""
    }

    static func htmlResponse(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        htmlResponse(bytes: ByteBuffer(string: html), status: status)
    }

    static func htmlResponse(bytes: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: bytes))
    }

    struct ErrorContent {
        let status: Int
        let reason: String
        let detail: String
        let notFound: Bool
    }

    func errorPage(_ error: UserFacingError, context: AppRequestContext) -> Response {
        let content = ErrorContent(
            status: error.status.code, reason: error.status.reasonPhrase, detail: error.detail,
            notFound: error.status == .notFound)
        var response = render("error", title: error.status.reasonPhrase, content: content, context: context, status: error.status)
        for field in error.headers { response.headers.append(field) }
        return response
    }
}

/// Mustache's escaping, done by ``Swift/String/htmlEscaped``; a slot marker (see ``SlotTemplate``),
/// which only Groundwork's own code passes in, is left as it is.
struct EscapedHTML: MustacheContentType {
    static let name = "GROUNDWORK"

    func escapeText(_ text: String) -> String {
        SlotTemplate.isMarker(text) ? text : text.htmlEscaped
    }
}
