import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends a finished run's JSON report to a Groundwork server (`groundwork check --upload`), so a
/// run made on the learner's machine — where labs may reach their own server — lands in their
/// history there: `POST SERVER/api/v1/lab-runs` with the API token as a bearer token, answered
/// 201 with the stored run's `id`.
public struct RunUploader: Sendable {
    public let server: URL
    public let token: String

    public static let defaultServer = "http://127.0.0.1:8080"
    /// Where a learner creates an API token, relative to the server.
    public static let tokensPage = "/account/tokens"

    public init(server: URL, token: String) {
        self.server = server
        self.token = token
    }

    /// Uploads `report` (the JSON reporter's output) and returns the id the server gave the run.
    public func upload(_ report: String) async throws(UploadError) -> String {
        let url = server.appendingPathComponent("api/v1/lab-runs").absoluteString
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: report))

        // A redirect is reported, not followed: following it could hand the token to another host.
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.timeout = .init(connect: .seconds(10))
        // A refused connection is reported at once, not retried until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let answer: Result<(status: Int, body: Data, location: String?), UploadError>
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
            answer = .success((Int(response.status.code), body, response.headers.first(name: "location")))
        } catch {
            answer = .failure(unreachable(error))
        }
        try? await client.shutdown()
        let (status, body, location) = try answer.get()
        return try runID(status: status, body: body, location: location)
    }

    private func runID(status: Int, body: Data, location: String?) throws(UploadError) -> String {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        switch status {
        case 201:
            switch object?["id"] {
            case let id as String: return id
            case let id as NSNumber: return id.stringValue
            default: throw UploadError("\(server.absoluteString) stored the run but sent no run id back: is it a Groundwork server, and up to date?")
            }
        case 401:
            throw UploadError("the token was refused: create one on the API tokens page (\(page(Self.tokensPage))) and put it in GROUNDWORK_TOKEN")
        case 300..<400:
            throw UploadError(
                "\(server.absoluteString) redirects to \(location ?? "another address"): give that address with --server or GROUNDWORK_SERVER")
        default:
            if let detail = object?["detail"] as? String {
                throw UploadError("\(server.absoluteString) refused the run (\(status)): \(detail)")
            }
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw UploadError(
                "\(server.absoluteString) answered \(status) instead of 201 Created" + (text.isEmpty ? "" : ": \(text)")
                    + " — is --server the address of a Groundwork server?")
        }
    }

    private func unreachable(_ error: any Error) -> UploadError {
        switch TransportErrorClassifier.kind(of: error) {
        case .connectionRefused:
            UploadError(
                "the Groundwork server at \(server.absoluteString) is not reachable (connection refused): is it running? Give its address with --server or GROUNDWORK_SERVER"
            )
        case .hostNotFound:
            UploadError(
                "the Groundwork server at \(server.absoluteString) is not reachable: its host name does not resolve; check --server or GROUNDWORK_SERVER"
            )
        case .timeout:
            UploadError("the Groundwork server at \(server.absoluteString) did not answer in time; try again, or check --server")
        default:
            UploadError("could not send the run to \(server.absoluteString): \(error)")
        }
    }

    private func page(_ path: String) -> String {
        server.absoluteString.hasSuffix("/") ? server.absoluteString + path.dropFirst() : server.absoluteString + path
    }
}

/// Why a run could not be uploaded, saying what to do about it.
public struct UploadError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
