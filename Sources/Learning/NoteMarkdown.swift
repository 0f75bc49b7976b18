import Foundation

/// The Markdown a learner may write in a note, read into blocks a page can render safely:
/// paragraphs, fenced code blocks, bullet and numbered lists, and inside them emphasis, strong,
/// inline code and links whose address is `http://` or `https://`. Everything else — HTML tags,
/// headings, images, other link schemes such as `javascript:` — stays literal text, which the page
/// escapes. It exists so a note reads well without ever giving learner text a way into the markup.
///
/// Closing delimiters are found through tables built in one pass over the text, a construct spans
/// at most ``searchWindow`` characters, and emphasis nests at most ``maxDepth`` deep, so a hostile
/// 64 KB note is read in linear time.
public enum NoteMarkdown {
    /// A block of a note.
    public enum Block: Equatable, Sendable {
        case paragraph([Inline])
        case code(String)
        case list(ordered: Bool, start: Int, items: [[Inline]])
    }

    /// A run of text inside a block.
    public indirect enum Inline: Equatable, Sendable {
        case text(String)
        case code(String)
        case emphasis([Inline])
        case strong([Inline])
        /// `url` starts with `http://` or `https://`; nothing else becomes a link.
        case link(url: String, label: [Inline])
    }

    static let searchWindow = 500
    static let maxDepth = 4

    /// The note's blocks; an empty or blank note has none.
    public static func blocks(_ text: String) -> [Block] {
        var reader = BlockReader()
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("```") {
                reader.finish()
                var code: [Substring] = []
                index += 1
                while index < lines.count, !lines[index].drop(while: { $0 == " " }).hasPrefix("```") {
                    code.append(lines[index])
                    index += 1
                }
                reader.blocks.append(.code(code.joined(separator: "\n")))
            } else if trimmed.isEmpty {
                reader.finish()
            } else if let item = listItem(trimmed) {
                reader.add(item)
            } else if !reader.items.isEmpty, trimmed.count < line.count {
                reader.items[reader.items.count - 1] += "\n" + trimmed
            } else {
                reader.finishList()
                reader.paragraph.append(trimmed)
            }
            index += 1
        }
        reader.finish()
        return reader.blocks
    }

    /// The inline runs of one block's text.
    public static func inlines(_ text: String) -> [Inline] {
        var parser = InlineParser(characters: Array(text), depth: 0, allowsLinks: true)
        return parser.parse()
    }

    private struct ListItem {
        let ordered: Bool
        let number: Int
        let text: Substring
    }

    /// `- item`, `* item`, `+ item`, `1. item` or `1) item`.
    private static func listItem(_ line: Substring) -> ListItem? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            return ListItem(ordered: false, number: 1, text: line.dropFirst(2))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        let rest = line.dropFirst(digits.count)
        guard (1...9).contains(digits.count), let marker = rest.first, marker == "." || marker == ")", rest.dropFirst().first == " ",
            let number = Int(digits)
        else { return nil }
        return ListItem(ordered: true, number: number, text: rest.dropFirst(2))
    }

    /// Collects lines into blocks: the paragraph or list being read, and the blocks finished so far.
    private struct BlockReader {
        var blocks: [Block] = []
        var paragraph: [Substring] = []
        var items: [String] = []
        var ordered = false
        var start = 1

        mutating func add(_ item: ListItem) {
            finishParagraph()
            if !items.isEmpty, item.ordered != ordered { finishList() }
            if items.isEmpty {
                ordered = item.ordered
                start = item.number
            }
            items.append(String(item.text))
        }

        mutating func finishParagraph() {
            guard !paragraph.isEmpty else { return }
            blocks.append(.paragraph(NoteMarkdown.inlines(paragraph.joined(separator: "\n"))))
            paragraph = []
        }

        mutating func finishList() {
            guard !items.isEmpty else { return }
            blocks.append(.list(ordered: ordered, start: start, items: items.map(NoteMarkdown.inlines)))
            items = []
        }

        mutating func finish() {
            finishParagraph()
            finishList()
        }
    }

    /// Reads one block's text left to right; what does not form a complete construct is text.
    private struct InlineParser {
        let characters: [Character]
        let depth: Int
        let allowsLinks: Bool
        var output: [Inline] = []
        var literal = ""
        /// For each kind of emphasis delimiter, the next closing delimiter at or after each position.
        var closers: [String: [Int]] = [:]
        /// The starts of backtick runs, by run length.
        lazy var backtickRuns: [Int: [Int]] = {
            var runs: [Int: [Int]] = [:]
            var index = 0
            while index < characters.count {
                guard characters[index] == "`" else {
                    index += 1
                    continue
                }
                let length = run(of: "`", at: index)
                runs[length, default: []].append(index)
                index += length
            }
            return runs
        }()
        /// For each position, the first whitespace or `)` at or after it: where a link's address ends.
        lazy var addressEnds: [Int] = {
            var ends = [Int](repeating: characters.count, count: characters.count + 1)
            for index in stride(from: characters.count - 1, through: 0, by: -1) {
                ends[index] = characters[index].isWhitespace || characters[index] == ")" ? index : ends[index + 1]
            }
            return ends
        }()

        mutating func parse() -> [Inline] {
            var index = 0
            while index < characters.count {
                let character = characters[index]
                if character == "\\", index + 1 < characters.count, characters[index + 1].isASCII,
                    characters[index + 1].isPunctuation || characters[index + 1].isSymbol
                {
                    literal.append(characters[index + 1])
                    index += 2
                } else if character == "`" {
                    index = codeSpan(at: index)
                } else if character == "[", allowsLinks, let end = link(at: index) {
                    index = end
                } else if character == "*" || character == "_", depth < NoteMarkdown.maxDepth, let end = emphasis(at: index) {
                    index = end
                } else {
                    literal.append(character)
                    index += 1
                }
            }
            flush()
            return output
        }

        private mutating func flush() {
            if !literal.isEmpty { output.append(.text(literal)) }
            literal = ""
        }

        private mutating func emit(_ inline: Inline) {
            flush()
            output.append(inline)
        }

        private func limit(from index: Int) -> Int {
            min(characters.count, index + NoteMarkdown.searchWindow)
        }

        private func run(of character: Character, at index: Int) -> Int {
            var end = index
            while end < characters.count, characters[end] == character { end += 1 }
            return end - index
        }

        /// A code span between backtick runs of the same length; an unmatched run is text.
        private mutating func codeSpan(at index: Int) -> Int {
            let length = run(of: "`", at: index)
            let starts = backtickRuns[length] ?? []
            var low = 0
            var high = starts.count
            while low < high {
                let middle = (low + high) / 2
                if starts[middle] <= index { low = middle + 1 } else { high = middle }
            }
            if low < starts.count, starts[low] < limit(from: index + length) {
                let close = starts[low]
                var code = String(characters[(index + length)..<close])
                if code.count > 1, code.first == " ", code.last == " " { code = String(code.dropFirst().dropLast()) }
                emit(.code(code))
                return close + length
            }
            literal += String(repeating: "`", count: length)
            return index + length
        }

        /// `[label](http…)`; the end of the link, or nil when this `[` does not start one.
        private mutating func link(at index: Int) -> Int? {
            var close = index + 1
            while close < limit(from: index), characters[close] != "]" {
                if characters[close] == "[" { return nil }
                close += 1
            }
            guard close + 1 < characters.count, characters[close] == "]", characters[close + 1] == "(" else { return nil }
            let end = addressEnds[close + 2]
            guard end < limit(from: close + 2), characters[end] == ")" else { return nil }
            let url = String(characters[(close + 2)..<end])
            guard NoteMarkdown.isWebAddress(url) else { return nil }
            var label = InlineParser(characters: Array(characters[(index + 1)..<close]), depth: depth + 1, allowsLinks: false)
            emit(.link(url: url, label: label.parse()))
            return end + 1
        }

        /// `*em*`, `_em_`, `**strong**` or `__strong__`; nil when no closing delimiter follows.
        private mutating func emphasis(at index: Int) -> Int? {
            let delimiter = characters[index]
            let width = index + 1 < characters.count && characters[index + 1] == delimiter ? 2 : 1
            let contentStart = index + width
            guard contentStart < characters.count, !characters[contentStart].isWhitespace else { return nil }
            if delimiter == "_", index > 0, characters[index - 1].isLetter || characters[index - 1].isNumber { return nil }
            let search = nextCloser(from: contentStart + 1, delimiter: delimiter, width: width)
            guard search + width <= limit(from: contentStart) else { return nil }
            var inner = InlineParser(characters: Array(characters[contentStart..<search]), depth: depth + 1, allowsLinks: allowsLinks)
            let content = inner.parse()
            emit(width == 2 ? .strong(content) : .emphasis(content))
            return search + width
        }

        /// The first closing `delimiter` (of `width`) at or after `index`; the text's length when none.
        private mutating func nextCloser(from index: Int, delimiter: Character, width: Int) -> Int {
            let key = String(repeating: delimiter, count: width)
            if closers[key] == nil {
                var table = [Int](repeating: characters.count, count: characters.count + 1)
                for position in stride(from: characters.count - 1, through: 1, by: -1) {
                    let fits = position + width <= characters.count && isCloser(at: position, delimiter: delimiter, width: width)
                    table[position] = fits ? position : table[position + 1]
                }
                closers[key] = table
            }
            return closers[key]?[min(index, characters.count)] ?? characters.count
        }

        private func isCloser(at index: Int, delimiter: Character, width: Int) -> Bool {
            guard (index..<(index + width)).allSatisfy({ characters[$0] == delimiter }),
                !characters[index - 1].isWhitespace, characters[index - 1] != delimiter
            else { return false }
            let after = index + width < characters.count ? characters[index + width] : nil
            if after == delimiter { return false }
            if delimiter == "_", let after, after.isLetter || after.isNumber { return false }
            return true
        }
    }

    /// Whether `url` may be a link's address: `http://` or `https://` and something after it.
    public static func isWebAddress(_ url: String) -> Bool {
        let lowered = url.lowercased()
        let scheme = lowered.hasPrefix("https://") ? 8 : lowered.hasPrefix("http://") ? 7 : 0
        return scheme > 0 && url.count > scheme && !url.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
