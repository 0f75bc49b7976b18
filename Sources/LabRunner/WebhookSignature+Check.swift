import Crypto
import Foundation
import LabKit

extension WebhookSignature {
    /// What is wrong with the signature of a received webhook call; `nil` when it is right.
    func problem(in message: MessageSnapshot, bindings: Bindings) -> String? {
        let secret: String
        do {
            secret = try self.secret.render(bindings)
        } catch {
            return "signature: \(error)"
        }
        let expected = prefix + Self.hmacSHA256(message.body, key: secret)
        guard let actual = message.header(header) else {
            return "header \(header): missing; sign the body: \(header): \(prefix)<hex HMAC-SHA256 of the raw body, keyed with the secret>"
        }
        guard actual.trimmingCharacters(in: .whitespaces).lowercased() != expected else { return nil }
        return "header \(header): expected \"\(expected)\" (HMAC-SHA256 of the \(message.body.count)-byte body as sent, "
            + "keyed with the secret \"\(secret)\"), got \"\(actual)\""
    }

    /// The lowercase hex HMAC-SHA256 of `body` keyed with the UTF-8 bytes of `key`.
    static func hmacSHA256(_ body: Data, key: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(key.utf8)))
        return code.map { String(format: "%02x", $0) }.joined()
    }
}
