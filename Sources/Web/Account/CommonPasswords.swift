import Foundation

/// The list of common passwords shipped in `common-passwords.txt`, read once, for the sign-up
/// rules: NIST SP 800-63B asks that a new password not be one an attacker would try first.
struct CommonPasswords: Sendable {
    static let shared = CommonPasswords()

    private let passwords: Set<String>

    private init() {
        let text =
            Bundle.module.url(forResource: "common-passwords", withExtension: "txt")
            .flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? ""
        passwords = Set(text.split(separator: "\n").filter { !$0.hasPrefix("# ") }.map { $0.lowercased() })
    }

    /// Whether `password` (in lower case) is on the list.
    func contains(_ password: String) -> Bool {
        passwords.contains(password)
    }
}
