import Learning

/// A note as HTML: ``NoteMarkdown``'s blocks, every piece of the learner's text passed through
/// ``Swift/String/htmlEscaped``. The only markup is what this type writes, and a link's address is
/// always `http` or `https`, so a note can show formatting but never run anything.
enum NoteHTML {
    static func render(_ text: String) -> String {
        var html = ""
        for block in NoteMarkdown.blocks(text) {
            switch block {
            case .paragraph(let inlines):
                html += "<p>" + render(inlines) + "</p>\n"
            case .code(let code):
                html += "<pre><code>" + code.htmlEscaped + "</code></pre>\n"
            case .list(let ordered, let start, let items):
                let open = ordered ? (start == 1 ? "<ol>" : "<ol start=\"\(start)\">") : "<ul>"
                html += open + items.map { "<li>" + render($0) + "</li>" }.joined() + (ordered ? "</ol>\n" : "</ul>\n")
            }
        }
        return html
    }

    private static func render(_ inlines: [NoteMarkdown.Inline]) -> String {
        inlines.map { inline in
            switch inline {
            case .text(let text): text.htmlEscaped
            case .code(let code): "<code>" + code.htmlEscaped + "</code>"
            case .emphasis(let inner): "<em>" + render(inner) + "</em>"
            case .strong(let inner): "<strong>" + render(inner) + "</strong>"
            case .link(let url, let label):
                "<a href=\"" + url.htmlEscaped + "\" rel=\"nofollow noopener noreferrer\">" + render(label) + "</a>"
            }
        }.joined()
    }
}
