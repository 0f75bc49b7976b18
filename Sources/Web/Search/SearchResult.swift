import Foundation
import Storage

/// One search result as pages and the API show it: what it is, where it links, and the snippet —
/// as plain text, and as HTML with the matched words in `<mark>` and everything else escaped.
struct SearchResult: Sendable, Codable, Equatable {
    /// `topic`, `lab`, `exercise` or `note`.
    let kind: String
    /// "Lesson", "Lab", "SQL exercise" or "Your note".
    let label: String
    let id: String
    let title: String
    let url: String
    let snippet: String
    let snippetHtml: String

    init(_ hit: SearchHit, kind label: String, title: String, url: String) {
        kind = hit.kind
        self.label = label
        id = hit.id
        self.title = title
        self.url = url
        snippet = String(hit.snippet.filter { $0 != SearchQuery.highlightStart && $0 != SearchQuery.highlightEnd })
        snippetHtml = Self.highlighted(hit.snippet)
    }

    /// The snippet escaped piece by piece, its highlight markers made `<mark>` (each opened one
    /// closed, stray ones dropped), so no text in it — a note's included — can become markup.
    static func highlighted(_ snippet: String) -> String {
        var html = ""
        var plain = ""
        var open = false
        for character in snippet {
            switch character {
            case SearchQuery.highlightStart where !open:
                html += plain.htmlEscaped + "<mark>"
                plain = ""
                open = true
            case SearchQuery.highlightEnd where open:
                html += plain.htmlEscaped + "</mark>"
                plain = ""
                open = false
            case SearchQuery.highlightStart, SearchQuery.highlightEnd:
                continue
            default:
                plain.append(character)
            }
        }
        return html + plain.htmlEscaped + (open ? "</mark>" : "")
    }
}

/// Trusted content's HTML (lessons, briefs, prompts rendered once at start-up) as the plain text
/// the index holds: tags become spaces, the entities Markdown rendering writes are decoded.
enum SearchText {
    static func plain(html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            switch character {
            case "<": inTag = true
            case ">" where inTag:
                inTag = false
                text.append(" ")
            default:
                if !inTag { text.append(character) }
            }
        }
        let entities = [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " "), ("&amp;", "&")]
        for (entity, character) in entities { text = text.replacingOccurrences(of: entity, with: character) }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
