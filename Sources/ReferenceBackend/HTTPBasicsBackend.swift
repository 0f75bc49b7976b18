import HTTPTypes
import Hummingbird

/// Plausible bugs in an `http-basics` solution, each caught by one stage.
enum HTTPBasicsMutant: String, MutantCase {
    case healthPlainText = "health-plain-text"
    case ignoresAccept = "ignores-accept"
    case noAllowHeader = "no-allow-header"
    case wrongMethod404 = "wrong-method-404"
    case timesUnchecked = "times-unchecked"
    case noHead = "no-head"
    case headerNamesAsSent = "header-names-as-sent"

    var stage: String {
        switch self {
        case .healthPlainText: "health"
        case .ignoresAccept: "content-types"
        case .noAllowHeader, .wrongMethod404: "errors"
        case .timesUnchecked: "parameters"
        case .noHead: "head"
        case .headerNamesAsSent: "headers"
        }
    }

    var bug: String {
        switch self {
        case .healthPlainText: "/health answers the text 'OK' instead of JSON"
        case .ignoresAccept: "/hello always answers plain text, whatever Accept asks for"
        case .noAllowHeader: "405 answers carry no Allow header"
        case .wrongMethod404: "a known path with the wrong method answers 404, not 405"
        case .timesUnchecked: "/repeat treats a 'times' that is not a number as 0 and answers 200"
        case .noHead: "HEAD is not handled, so it answers 405"
        case .headerNamesAsSent: "/headers echoes header names with the client's capitals instead of lowercase"
        }
    }
}

/// The correct `http-basics` solution (or one mutant of it): health, content types, errors,
/// parameters, HEAD and header echo.
struct HTTPBasicsBackend {
    let mutant: HTTPBasicsMutant?

    static let requestID = HTTPField.Name("X-Request-Id")!

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        var routes = Routes(router: router)
        routes.allowHeader = mutant != .noAllowHeader
        routes.methodNotAllowed = mutant != .wrongMethod404
        let autoHead = mutant != .noHead

        routes.add(
            "/health", autoHead: autoHead,
            [
                .get: { [mutant] _, _ in
                    mutant == .healthPlainText ? JSON.text("OK") : JSON.response(["status": "ok"])
                }
            ])
        routes.add(
            "/hello", autoHead: autoHead,
            [
                .get: { [mutant] request, _ in
                    let accept = request.headers[.accept] ?? ""
                    if accept.contains("application/json"), mutant != .ignoresAccept {
                        return JSON.response(["message": "Hello, world!"])
                    }
                    return JSON.text("Hello, world!")
                }
            ])
        routes.add(
            "/greet/:name", autoHead: autoHead,
            [
                .get: { _, context in
                    JSON.response(["greeting": "Hello, \(context.parameters.get("name") ?? "")!"])
                }
            ])
        routes.add(
            "/repeat", autoHead: autoHead,
            [
                .get: { [mutant] request, _ in
                    let query = request.uri.queryParameters
                    guard let word = query["word"].map(String.init), !word.isEmpty else {
                        return JSON.error(.badRequest, "Add the query parameter 'word', e.g. /repeat?word=hi&times=2")
                    }
                    let timesText = query["times"].map(String.init) ?? "1"
                    var times = Int(timesText)
                    if mutant == .timesUnchecked, times == nil { times = 0 }
                    guard let times, (0...100).contains(times) else {
                        return JSON.error(.badRequest, "'times' must be a whole number from 0 to 100, not '\(timesText)'")
                    }
                    return JSON.response(["result": Array(repeating: word, count: times).joined(separator: " ")])
                }
            ])
        routes.add(
            "/headers", autoHead: autoHead,
            [
                .get: { [mutant] request, _ in
                    var echoed: [String: String] = [:]
                    for field in request.headers {
                        let name = mutant == .headerNamesAsSent ? field.name.rawName : field.name.canonicalName
                        echoed[name] = echoed[name].map { "\($0), \(field.value)" } ?? field.value
                    }
                    var response = JSON.response(["headers": echoed])
                    if let id = request.headers[Self.requestID] {
                        response.headers[Self.requestID] = id
                    }
                    return response
                }
            ])
        return router
    }
}
