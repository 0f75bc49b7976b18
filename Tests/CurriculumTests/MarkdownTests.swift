import Curriculum
import Foundation
import Testing

/// Lessons and briefs are wrapped at about 100 columns; a wrapped line that began with inline code
/// once started a new paragraph mid-sentence.
@Suite("Markdown rendering")
struct MarkdownTests {
    @Test("a paragraph wrapped before inline code stays one paragraph")
    func wrappedBeforeInlineCode() {
        let html = Markdown.html("It answers 200 with a\n`Content-Type` of `application/json`.\n\nNext paragraph.")
        #expect(html == "<p>It answers 200 with a <code>Content-Type</code> of <code>application/json</code>.</p><p>Next paragraph.</p>")
    }

    @Test("lists, headings, quotes, code fences and hard breaks keep their lines")
    func blocksKeepTheirLines() {
        let source = """
            # Title
            Some text
            - one item that wraps
              `onto` a second line
            - two

            1. first

            > quoted

            ```
            let a = 1
            `b`
            ```
            line with a hard break\\
            `next` line
            """
        let html = Markdown.html(source)
        #expect(html.contains("<h1>Title</h1>"))
        #expect(html.contains("<li>one item that wraps <code>onto</code> a second line</li>"))
        #expect(html.contains("<li>two</li>"))
        #expect(html.contains("<ol><li>first</li></ol>"))
        #expect(html.contains("<blockquote><p>quoted</p></blockquote>"))
        #expect(html.contains("<p>line with a hard break<br>"))
        #expect(html.contains("let a = 1\n`b`"))
    }

    @Test("no shipped lesson or lab brief splits a sentence before inline code")
    func shippedContentIsNotSplit() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let roadmap = try ContentLoader(contentDirectory: root.appendingPathComponent("Content"), sourceRoot: root).loadRoadmap()
        let labs = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Content/labs").path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }
            .map { try String(contentsOf: root.appendingPathComponent("Content/labs/\($0)"), encoding: .utf8) }
        // A paragraph that ends without closing punctuation and is followed by one starting with
        // code is a sentence cut in two.
        let split = /[a-z,]<\/p><p><code>/
        for topic in roadmap.topics {
            #expect(topic.lessonHTML.firstMatch(of: split) == nil, "\(topic.id)")
        }
        for brief in labs {
            #expect(Markdown.html(brief).firstMatch(of: split) == nil, "\(brief.prefix(40))")
        }
    }
}
