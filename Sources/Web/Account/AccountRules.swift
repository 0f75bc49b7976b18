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
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), email.unicodeScalars.allSatisfy(isAllowedInEmail) else {
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

    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength { return "Choose a password of at least \(minimumPasswordLength) characters." }
        if password.count > maximumPasswordLength { return "Choose a password of at most \(maximumPasswordLength) characters." }
        return nil
    }
}
