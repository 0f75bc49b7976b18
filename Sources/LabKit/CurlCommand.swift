import Foundation

/// A `curl` command line that sends a recorded request again, so a learner can reproduce a failing
/// step in their own terminal and watch their server's logs while doing it.
public enum CurlCommand {
    /// Headers curl sets by itself, to the same values.
    static let implied: Set<String> = ["host", "content-length"]

    public static func make(for request: RecordedRequest) -> String {
        var words = ["curl", "-i"]
        switch request.method {
        case "GET" where request.body == nil: break
        case "HEAD": words[1] = "-I"
        default: words += ["-X", request.method]
        }
        if request.followRedirects { words.append("-L") }
        words.append(quote(request.url))
        for header in request.headers where !implied.contains(header.name.lowercased()) {
            words += ["-H", quote("\(header.name): \(header.value)")]
        }
        if let body = request.body {
            words += ["--data-binary", quote(body)]
        }
        return words.joined(separator: " ")
    }

    /// Single quotes keep every character literal in POSIX shells; text with control characters
    /// (a multipart body's CR LF) uses bash's `$'…'` so it survives copy and paste.
    static func quote(_ text: String) -> String {
        let hasControl = text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }
        guard hasControl else {
            return "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        }
        var escaped = "$'"
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "'": escaped += "\\'"
            case "\r": escaped += "\\r"
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20: escaped += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "'"
    }
}
