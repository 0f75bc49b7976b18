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
    /// The entities Markdown rendering writes, decoded; any other `&…;` stays as it is.
    private static let entities: [String: Unicode.Scalar] = [
        "lt": "<", "gt": ">", "quot": "\"", "#39": "'", "#x27": "'", "nbsp": " ", "amp": "&",
    ]

    /// One pass over the scalars (start-up indexes every lesson, so this stays cheap): tags and
    /// runs of white space become one space.
    static func plain(html: String) -> String {
        var text = String.UnicodeScalarView()
        var inTag = false
        var pendingSpace = false
        let scalars = html.unicodeScalars
        var index = scalars.startIndex
        func append(_ scalar: Unicode.Scalar) {
            if scalar.properties.isWhitespace {
                pendingSpace = !text.isEmpty
                return
            }
            if pendingSpace { text.append(" ") }
            pendingSpace = false
            text.append(scalar)
        }
        while index < scalars.endIndex {
            let scalar = scalars[index]
            scalars.formIndex(after: &index)
            if inTag {
                if scalar == ">" {
                    inTag = false
                    pendingSpace = !text.isEmpty
                }
                continue
            }
            switch scalar {
            case "<":
                inTag = true
            case "&":
                let rest = scalars[index...]
                if let end = rest.prefix(6).firstIndex(of: ";"),
                    let decoded = entities[String(String.UnicodeScalarView(rest[..<end]))]
                {
                    append(decoded)
                    index = scalars.index(after: end)
                } else {
                    append(scalar)
                }
            default:
                append(scalar)
            }
        }
        return String(text)
    }
}
