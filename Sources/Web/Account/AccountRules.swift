import Foundation

/// What makes an acceptable email and password, shared by the sign-up page and `groundwork user create`.
public enum AccountRules {
    public static let minimumPasswordLength = 10
    public static let maximumPasswordLength = 1024

    /// The one form an email address is stored and compared in: NFKC-normalised (full-width
    /// letters and other compatibility forms become their plain equivalents), without surrounding
    /// white space, in lower case. Every edge normalises before it validates or looks up.
    public static func normalizedEmail(_ raw: String) -> String {
        raw.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Why `email` (already normalised) cannot be an account's address, or nil. Beyond the shape
    /// `local@domain.tld`, it refuses white space, control and format characters (NUL, line
    /// breaks, right-to-left overrides, zero-width joiners), unassigned and private-use code
    /// points, and the characters `<>()[]\,;:"` that only quoted or bracketed forms allow.
    public static func emailProblem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), email.unicodeScalars.allSatisfy(isAllowedInEmail)
        else {
            return "Enter an email address like name@example.org."
        }
        return nil
    }

    private static func isAllowedInEmail(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return false
        default:
            return !"<>()[]\\,;:\"".unicodeScalars.contains(scalar)
        }
    }

    /// Why `password` is too weak for an account with `email`, or nil. Following NIST SP 800-63B:
    /// a length floor and ceiling and no composition rules, but no password that is on the list of
    /// common passwords (also with digits or symbols added before or after, like `password12`), one
    /// character repeated, a run along the alphabet, the digits or a keyboard row, or the e-mail
    /// address or its local part.
    public static func passwordProblem(_ password: String, email: String? = nil) -> String? {
        if password.count < minimumPasswordLength { return "Choose a password of at least \(minimumPasswordLength) characters." }
        if password.count > maximumPasswordLength { return "Choose a password of at most \(maximumPasswordLength) characters." }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "A password cannot contain control characters (such as a line break or NUL)."
        }
        let lowered = password.lowercased()
        let core = String(lowered.trimmingCharacters(in: .whitespaces).drop { !$0.isLetter }.reversed().drop { !$0.isLetter }.reversed())
        if Set(lowered).count <= 2 || isRun(lowered) || CommonPasswords.shared.contains(lowered)
            || (core.count >= 4 && CommonPasswords.shared.contains(core))
        {
            return
                "That password is one of the most common (or a run like 1234567890): an attacker tries those first. Choose another, such as a few unrelated words."
        }
        if let email = email?.lowercased(), let local = email.split(separator: "@").first,
            lowered == email || lowered.contains(local) && local.count >= 4 && lowered.count < local.count + 6
        {
            return "Choose a password that does not repeat your e-mail address."
        }
        return nil
    }

    /// Whether `text` is a stretch of one of the sequences people type in order: the alphabet, the
    /// digits (either way round) or a keyboard row.
    private static func isRun(_ text: String) -> Bool {
        let sequences = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv5tgb"]
        return sequences.contains { $0.contains(text) || String($0.reversed()).contains(text) }
    }

    /// Where a learner may be sent after signing in: a path on this site, or "/" for anything
    /// else. Browsers ignore tabs and line breaks inside a URL and read `\` as `/`, so
    /// `/\t/evil.example` or `/\\evil.example` would leave the site: any control character, space or
    /// backslash makes the path unsafe, as does a second leading slash.
    public static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 2048,
            next.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\\" })
        else {
            return "/"
        }
        return next
    }
}
