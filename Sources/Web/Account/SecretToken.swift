import Crypto
import Foundation
import Learning
import Storage

/// Random secrets handed to a client (session cookies, API tokens, CSRF tokens) and the hash the
/// server keeps of them. SHA-256 suffices here: the secrets have 256 bits of entropy, unlike passwords.
enum SecretToken {
    /// 32 random bytes, base64url without padding (safe in cookies and headers).
    static func generate(prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        var words = (0..<4).map { _ in generator.next() as UInt64 }
        let base64 = Data(bytes: &words, count: 32).base64EncodedString()
        // base64 → base64url in one pass over the bytes (Foundation's replacing is slow on a hot path).
        let url = base64.utf8.compactMap { byte -> UInt8? in
            switch byte {
            case UInt8(ascii: "+"): UInt8(ascii: "-")
            case UInt8(ascii: "/"): UInt8(ascii: "_")
            case UInt8(ascii: "="): nil
            default: byte
            }
        }
        return prefix + String(decoding: url, as: UTF8.self)
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexEncoded
    }

    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        PasswordHasher.constantTimeEquals(Data(lhs.utf8), Data(rhs.utf8))
    }
}
