/// What makes an acceptable email and password, shared by the sign-up page and `groundwork user create`.
public enum AccountRules {
    public static let minimumPasswordLength = 10
    public static let maximumPasswordLength = 1024

    public static func emailProblem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace) else {
            return "Enter an email address like name@example.org."
        }
        return nil
    }

    public static func passwordProblem(_ password: String) -> String? {
        if password.count < minimumPasswordLength { return "Choose a password of at least \(minimumPasswordLength) characters." }
        if password.count > maximumPasswordLength { return "Choose a password of at most \(maximumPasswordLength) characters." }
        return nil
    }
}
