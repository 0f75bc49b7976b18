import AsyncHTTPClient
import Foundation
import LabKit
import NIOCore
import NIOHTTP1

/// Sends a run's requests with AsyncHTTPClient: HTTP/1.1, a deadline per request, no automatic
/// redirects (a step that follows them does so here, hop by hop), every hop's address checked by
/// the ``AddressGuard`` and then connected to as checked (see ``PinnedClients``), and failures told
/// apart as ``TransportError``s.
struct HTTPTransport: Sendable {
    let clients: PinnedClients
    let mode: AddressGuard.Mode
    let resolver: HostResolver

    /// Bodies are read up to this size; a check never needs more.
    static let bodyLimit = 1 << 20
    static let maximumRedirects = 5

    /// A transport for one run; the caller shuts it down.
    init(mode: AddressGuard.Mode, resolver: HostResolver) {
        clients = PinnedClients()
        self.mode = mode
        self.resolver = resolver
    }

    func shutdown() async {
        await clients.shutdown()
    }

    /// Sends `request` (and follows its redirects if it asks to), all within `timeoutMS`.
    func send(_ request: PreparedRequest, timeoutMS: Int) async -> Result<MessageSnapshot, TransportError> {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = NIODeadline.now() + .milliseconds(Int64(timeoutMS))
        var current = request
        var hops = 0
        while true {
            let route: AddressCheck.Route
            switch await AddressCheck.route(for: current.url, mode: mode, resolver: resolver) {
            case .success(let checked): route = checked
            case .failure(let refusal): return .failure(refusal)
            }
            let answer: Answer
            do {
                answer = try await exchange(current, client: clients.client(for: route), deadline: deadline)
            } catch {
                return .failure(TransportErrorClassifier.classify(error, url: current.url, timeoutMS: timeoutMS))
            }
            let snapshot = MessageSnapshot(
                status: answer.status, headers: answer.headers, body: answer.body,
                elapsedMS: start.duration(to: clock.now).milliseconds)
            guard request.followRedirects, [301, 302, 303, 307, 308].contains(answer.status),
                let location = snapshot.header("location"), let next = redirect(from: current, to: location, status: answer.status)
            else {
                return .success(snapshot)
            }
            hops += 1
            if hops > Self.maximumRedirects {
                return .failure(
                    TransportError(
                        kind: .other, message: "more than \(Self.maximumRedirects) redirects in a row",
                        hint: "a redirect loop? follow the Location headers by hand with the curl line below"))
            }
            current = next
        }
    }

    private struct Answer: Sendable {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: Data
    }

    /// One request and its whole answer, body included, by `deadline` (AsyncHTTPClient's own
    /// deadline covers only the response head, so a body that stalls is timed out here).
    private func exchange(_ request: PreparedRequest, client: HTTPClient, deadline: NIODeadline) async throws -> Answer {
        let outgoing = Self.clientRequest(request)
        return try await withThrowingTaskGroup(of: Answer.self) { group in
            group.addTask {
                let response = try await client.execute(outgoing, deadline: deadline)
                var body = Data()
                for try await chunk in response.body {
                    body.append(contentsOf: chunk.readableBytesView)
                    if body.count >= Self.bodyLimit { break }
                }
                return Answer(status: Int(response.status.code), headers: response.headers.map { (name: $0.name, value: $0.value) }, body: body)
            }
            group.addTask {
                let remaining = deadline.uptimeNanoseconds.subtractingReportingOverflow(NIODeadline.now().uptimeNanoseconds)
                try await Task.sleep(for: .nanoseconds(remaining.overflow ? 0 : Int64(clamping: remaining.partialValue)))
                throw HTTPClientError.deadlineExceeded
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private static func clientRequest(_ request: PreparedRequest) -> HTTPClientRequest {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        return outgoing
    }

    /// The next hop: relative locations resolve against the current URL; 303 (and 301/302 after a
    /// POST, as browsers do) turn into a GET without a body.
    private func redirect(from request: PreparedRequest, to location: String, status: Int) -> PreparedRequest? {
        guard let base = URL(string: request.url), let url = URL(string: location, relativeTo: base)?.absoluteURL else { return nil }
        let becomesGet = status == 303 || ([301, 302].contains(status) && request.method == "POST")
        let headers = becomesGet ? request.headers.filter { $0.name.lowercased() != "content-type" } : request.headers
        return PreparedRequest(
            method: becomesGet ? "GET" : request.method, url: url.absoluteString, headers: headers,
            body: becomesGet ? nil : request.body, followRedirects: true)
    }
}
