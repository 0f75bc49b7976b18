import Hummingbird

/// Plausible bugs in a `whoami` solution, each caught by one stage.
enum WhoamiMutant: String, MutantCase {
    case addressFromHost = "address-from-host"
    case languageHardCoded = "language-hard-coded"
    case softwareFirstToken = "software-first-token"
    case noCORS = "no-cors"
    case crashWithoutLanguage = "crash-without-language"

    var stage: String {
        switch self {
        case .addressFromHost: "ipaddress"
        case .languageHardCoded: "language"
        case .softwareFirstToken: "software"
        case .noCORS: "cors"
        case .crashWithoutLanguage: "language"
        }
    }

    var bug: String {
        switch self {
        case .addressFromHost: "ipaddress is read from the Host header (the server's own name and port), not from the connection"
        case .languageHardCoded: "language is a fixed 'en-US' instead of the request's Accept-Language"
        case .softwareFirstToken: "software is the User-Agent cut at the first space ('Mozilla/5.0'), losing the system details"
        case .noCORS: "no Access-Control-Allow-Origin header, so a page on another origin cannot read the answer"
        case .crashWithoutLanguage: "correct for browsers: a request without Accept-Language, which no browser sends, crashes with a 500 page"
        }
    }

    var correct: Bool { self == .crashWithoutLanguage }
}

/// The correct `whoami` solution (or one mutant of it): `GET /api/whoami` tells the caller its
/// address, its preferred languages and its software, from the connection and the request headers.
struct WhoamiBackend {
    let mutant: WhoamiMutant?

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.allowAnyOrigin(mutant != .noCORS)
        router.get("/api/whoami") { [mutant] request, _ in
            let address = mutant == .addressFromHost ? request.head.authority ?? "" : PeerAddress.current ?? "unknown"
            let agent = request.headers[.userAgent] ?? ""
            if mutant == .crashWithoutLanguage, request.headers[.acceptLanguage] == nil {
                return JSON.html(
                    "<!DOCTYPE html><html><head><title>Error</title><style>body{font:14px monospace}</style></head>"
                        + "<body><pre>TypeError: Cannot read properties of undefined (reading 'split')</pre></body></html>",
                    status: .internalServerError)
            }
            return JSON.response([
                "ipaddress": address,
                "language": mutant == .languageHardCoded ? "en-US" : request.headers[.acceptLanguage] ?? "",
                "software": mutant == .softwareFirstToken ? String(agent.prefix { $0 != " " }) : agent,
            ])
        }
        return router
    }
}
