import AsyncHTTPClient
import Foundation
import LabKit
import NIOCore
import NIOHTTP1
import NIOPosix

/// Tells apart the ways a request can fail before an HTTP answer arrives, each with a hint that
/// points at the usual cause: nothing listening, no answer in time, a crash mid-answer, a
/// non-HTTP service on the port, TLS trouble, or a name that does not resolve.
enum TransportErrorClassifier {
    static func classify(_ error: any Error, url: String, timeoutMS: Int) -> TransportError {
        let address = URLComponents(string: url).map { "\($0.host ?? "?"):\($0.port ?? ($0.scheme == "https" ? 443 : 80))" } ?? url
        let kind = kind(of: error)
        let message: String
        let hint: String
        switch kind {
        case .connectionRefused:
            message = "connection refused by \(address)"
            hint = "nothing is listening there: is your server running, and listening on \(address)?"
        case .timeout:
            message = "no complete answer from \(address) within \(timeoutMS) ms"
            hint = "does every route send a response? a handler that never finishes, or waits on a lock, looks like this"
        case .connectionReset:
            message = "\(address) closed the connection before a complete answer"
            hint = "did your server crash or drop the request? look at its output for an error at this moment"
        case .notHTTP:
            message = "\(address) answered, but not with HTTP"
            hint = "is this the right port? something else (a database, TLS, a raw TCP service) may be listening there"
        case .tls:
            message = "the TLS handshake with \(address) failed"
            hint = "use http:// for a plain server, or check the certificate of an https:// one"
        case .hostNotFound:
            message = "the host of \(url) could not be resolved"
            hint = "check the spelling of the target URL; for a server on this machine use 127.0.0.1"
        case .addressRefused, .other:
            message = "the request to \(url) failed: \(error)"
            hint = "check the target URL; if it looks right, try the curl line below"
        }
        return TransportError(kind: kind, message: message, hint: hint)
    }

    static func kind(of error: any Error) -> TransportError.Kind {
        switch error {
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout, .deadlineExceeded, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout: return .timeout
            case .remoteConnectionClosed, .bodyLengthMismatch: return .connectionReset
            case .tlsHandshakeTimeout: return .tls
            default: return .other
            }
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty { return .hostNotFound }
            let kinds = error.connectionErrors.map { kind(of: $0.error) }
            return kinds.contains(.connectionRefused) ? .connectionRefused : kinds.first ?? .other
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return .connectionRefused
            case ECONNRESET, EPIPE, ECONNABORTED: return .connectionReset
            case ETIMEDOUT: return .timeout
            default: return .other
            }
        case is HTTPParserError:
            return .notHTTP
        case let error as ChannelError:
            switch error {
            case .connectTimeout: return .timeout
            case .eof, .ioOnClosedChannel, .outputClosed, .inputClosed, .alreadyClosed: return .connectionReset
            default: return .other
            }
        default:
            let name = String(reflecting: type(of: error))
            return name.contains("SSL") || name.contains("TLS") ? .tls : .other
        }
    }
}
