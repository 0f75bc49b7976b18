/// What a leaked secret looks like, for the git lab's history scan and the container lab's ENV/ARG
/// rule: private keys, the token formats of the big providers, and a password or key assigned a
/// quoted literal in code. Placeholders (`${VAR}`, `<your key>`, `changeme`, `example`) are not secrets.
public enum SecretPatterns {
    /// The kind of secret `line` seems to hold, e.g. "an AWS access key id"; `nil` for none.
    public static func match(in line: String) -> String? {
        if line.firstMatch(of: /-----BEGIN (RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/) != nil { return "a private key" }
        if line.firstMatch(of: /(AKIA|ASIA)[A-Z0-9]{16}/) != nil { return "an AWS access key id" }
        if line.firstMatch(of: /gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}/) != nil { return "a GitHub token" }
        if line.firstMatch(of: /glpat-[A-Za-z0-9_-]{20,}/) != nil { return "a GitLab token" }
        if line.firstMatch(of: /xox[abprs]-[A-Za-z0-9-]{10,}/) != nil { return "a Slack token" }
        if line.firstMatch(of: /sk_live_[A-Za-z0-9]{16,}/) != nil { return "a Stripe secret key" }
        if line.firstMatch(of: /AIza[0-9A-Za-z_-]{35}/) != nil { return "a Google API key" }
        let assignment =
            /(?i)(password|passwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|private[_-]?key|client[_-]?secret)["']?\s*[:=]\s*["']([^"'\s]{8,})["']/
        if let found = line.firstMatch(of: assignment), !isPlaceholder(String(found.2)) { return "a \(found.1.lowercased()) written into the code" }
        return nil
    }

    /// Values that stand for a secret rather than being one.
    static func isPlaceholder(_ value: String) -> Bool {
        let lower = value.lowercased()
        if ["${", "{{", "<", "%(", "process.env", "os.environ", "getenv"].contains(where: lower.contains) { return true }
        if ["example", "placeholder", "changeme", "change-me", "your", "xxxx", "****", "dummy", "redacted"].contains(where: lower.contains) {
            return true
        }
        return Set(lower).count <= 2
    }

    /// Part of a secret, for a report: enough to find it, not enough to use it.
    public static func masked(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return trimmed.count <= 12 ? String(trimmed.prefix(4)) + "…" : String(trimmed.prefix(12)) + "…"
    }
}
