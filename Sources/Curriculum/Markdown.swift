import Ink

/// The one Markdown renderer for trusted content (lessons, lab briefs, SQL exercises), on Ink.
///
/// Content files wrap long paragraphs at about 100 columns. Ink starts a new paragraph when a
/// wrapped line begins with inline code (`` `Content-Type` ``), which split 71 sentences in two on
/// the lesson pages. So lines are first unwrapped: a line that continues a paragraph is joined to
/// the one before it, while headings, list items, quotes, tables, HTML, fenced code and hard line
/// breaks keep their own lines.
public enum Markdown {
    public static func html(_ markdown: String) -> String {
        MarkdownParser().html(from: unwrapped(markdown))
    }

    /// `markdown` with each paragraph's soft-wrapped lines joined by single spaces.
    static func unwrapped(_ markdown: String) -> String {
        var output: [String] = []
        var inFence = false
        var previousContinues = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                output.append(line)
                previousContinues = false
                continue
            }
            if inFence || trimmed.isEmpty {
                output.append(line)
                previousContinues = false
                continue
            }
            if previousContinues && !startsBlock(trimmed), let last = output.popLast() {
                output.append(last + " " + trimmed)
            } else {
                output.append(line)
            }
            let hardBreak = line.hasSuffix("  ") || line.hasSuffix("\\")
            previousContinues = !hardBreak && !["#", "|", "<"].contains(where: { trimmed.hasPrefix($0) })
        }
        return output.joined(separator: "\n")
    }

    /// Whether a line (without its indentation) starts a block of its own rather than continuing a paragraph.
    private static func startsBlock(_ line: Substring) -> Bool {
        if ["#", ">", "|", "<", "- ", "* ", "+ "].contains(where: { line.hasPrefix($0) }) { return true }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && (line.dropFirst(digits.count).hasPrefix(". ") || line.dropFirst(digits.count).hasPrefix(") "))
    }
}
