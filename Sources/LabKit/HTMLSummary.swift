/// A web page told in a few lines. Frameworks answer an error with an HTML page — often dozens of
/// lines of stylesheet before the one sentence that matters — so reports show the page's title and
/// its first lines of text instead of its markup.
public enum HTMLSummary {
    /// How many lines of text follow the title.
    static let textLines = 4
    /// Longer lines are cut to this many characters.
    static let lineLength = 160

    /// The title and first lines of text of `body` when it is an HTML page, `nil` when it is not.
    public static func lines(of body: String, contentType: String?) -> [String]? {
        let start = body.drop { $0.isWhitespace }.prefix(15).lowercased()
        let isHTML = contentType?.lowercased().contains("html") == true || start.hasPrefix("<!doctype html") || start.hasPrefix("<html")
        guard isHTML, body.contains("<") else { return nil }
        var text = body
        let title = element("title", in: text).map(collapse)
        for hidden in ["head", "style", "script", "noscript", "template", "svg"] { text = removingElements(hidden, from: text) }
        text = text.replacing(/<!--[\s\S]*?-->/, with: "")
        text = text.replacing(/<(br|\/p|\/div|\/h[1-6]|\/li|\/tr|\/pre|\/title)[^>]*>/.ignoresCase(), with: "\n")
        text = text.replacing(/<[^>]*>/, with: " ")
        let lines = decodeEntities(text).split(separator: "\n").map { collapse(String($0)) }.filter { !$0.isEmpty && $0 != title }
        var result: [String] = []
        if let title, !title.isEmpty { result.append("title: " + cut(title)) }
        result += lines.prefix(textLines).map(cut)
        return result.isEmpty ? ["an HTML page without text"] : result
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let regex = try? Regex("(?is)<\(name)\\b[^>]*>(.*?)</\(name)\\s*>"), let match = try? regex.firstMatch(in: text),
            let inner = match[1].substring
        else { return nil }
        return decodeEntities(String(inner))
    }

    private static func removingElements(_ name: String, from text: String) -> String {
        guard let regex = try? Regex("(?is)<\(name)\\b[^>]*>.*?</\(name)\\s*>") else { return text }
        return text.replacing(regex, with: "\n")
    }

    private static func decodeEntities(_ text: String) -> String {
        var result = text
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        {
            result = result.replacingOccurrences(of: entity, with: character)
        }
        return result
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func cut(_ line: String) -> String {
        line.count > lineLength ? String(line.prefix(lineLength)) + "…" : line
    }
}
