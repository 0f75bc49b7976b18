import Crypto
import Foundation

/// Signed, expiring tokens: JWTs (HS256) with the user id in `sub` and the expiry in `exp`, signed
/// with a key made fresh at start (a restart signs everyone out, which the lab allows).
struct TokenSigner: Sendable {
    let checksSignature: Bool
    let checksExpiry: Bool
    /// The signing key's bytes (a `SymmetricKey` is not `Sendable`).
    private let keyBytes = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) })

    init(checksSignature: Bool, checksExpiry: Bool) {
        self.checksSignature = checksSignature
        self.checksExpiry = checksExpiry
    }

    func token(for user: AuthUser, lifetime: Int) -> String {
        let header = Self.base64URL(Data(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        let expiry = Int(Date().timeIntervalSince1970) + lifetime
        let payload = Self.base64URL(Data(#"{"sub":"\#(user.id)","exp":\#(expiry)}"#.utf8))
        return "\(header).\(payload).\(signature(of: "\(header).\(payload)"))"
    }

    /// The user id of a genuine, unexpired token; `nil` for anything else.
    func userID(in token: String) -> Int? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { return nil }
        if checksSignature, !Self.sameText(signature(of: "\(parts[0]).\(parts[1])"), parts[2]) { return nil }
        guard let data = Self.data(base64URL: parts[1]),
            let claims = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let subject = (claims["sub"] as? String).flatMap({ Int($0) }), let expiry = claims["exp"] as? Int
        else { return nil }
        if checksExpiry, Int(Date().timeIntervalSince1970) >= expiry { return nil }
        return subject
    }

    private func signature(of text: String) -> String {
        Self.base64URL(Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: keyBytes))))
    }

    /// Compares in constant time, so the time taken does not tell how much of a forged signature was right.
    private static func sameText(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8)
        let b = Array(b.utf8)
        return a.count == b.count && zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
