import Foundation
import LabRunner
import NIOCore

/// The server a learner asks the web app to check, judged before a single byte is sent: it must be
/// an http(s) origin (no path, query, fragment or user name), and the ``AddressGuard`` must allow where it points (in team mode, never the
/// server's own machine, its private network, link-local or cloud metadata addresses).
///
/// The runner asks the guard again before every request and every redirect, so this check is the
/// early, friendly refusal; the runner's is the one that cannot be got around.
enum RunTarget {
    static let defaultURL = "http://127.0.0.1:3000"

    /// The origin the text names, or what is wrong with it (see ``LabTarget``).
    static func parse(_ text: String) -> Result<URL, UserFacingError> {
        LabTarget.origin(text).mapError { UserFacingError(.unprocessableContent, "The target \($0.message).") }
    }

    /// Why a run against `url` may not start, or nil when it may.
    static func refusal(for url: URL, labID: String, mode: AddressGuard.Mode) async -> UserFacingError? {
        let host = url.host ?? ""
        let decision: AddressGuard.Decision
        if AddressGuard.classify(host) != nil {
            decision = AddressGuard.decide(host, mode: mode)
        } else {
            let addresses = await AddressCheck.addresses(of: host)
            guard !addresses.isEmpty else {
                return UserFacingError(
                    .unprocessableContent,
                    "The host name '\(host)' could not be resolved. Check the spelling; for a server on this machine use 127.0.0.1.")
            }
            decision = AddressGuard.decide(host: host, resolved: addresses, mode: mode)
        }
        guard case .refused(let reason) = decision else { return nil }
        // The guard names the command in general terms; here the lab and the target are known.
        let concrete = reason.replacingOccurrences(
            of: "groundwork check LAB --target URL", with: "groundwork check \(labID) --target \(url.absoluteString)")
        return UserFacingError(.forbidden, "Nothing was sent: \(concrete).")
    }
}
