import Testing

@testable import Web

/// The Markdown subset a note may use, as a reader of the page sees it: formatting works, and
/// nothing a learner types becomes markup of its own.
@Suite("Note Markdown")
struct NoteMarkdownTests {
    @Test("emphasis, strong, inline code, code blocks and both kinds of list render")
    func subset() {
        let html = NoteHTML.render(
            """
            GET is *safe*, PUT is **idempotent**, see `Cache-Control`.

            - one
            - two

            3. third
            4. fourth

            ```
            curl -I https://example.org <b>
            ```
            """)
        #expect(html.contains("<p>GET is <em>safe</em>, PUT is <strong>idempotent</strong>, see <code>Cache-Control</code>.</p>"))
        #expect(html.contains("<ul><li>one</li><li>two</li></ul>"))
        #expect(html.contains(#"<ol start="3"><li>third</li><li>fourth</li></ol>"#))
        #expect(html.contains("<pre><code>curl -I https://example.org &lt;b&gt;</code></pre>"))
    }

    @Test(
        "links with http or https become links; any other scheme stays text",
        arguments: [
            ("[RFC](https://example.org/rfc9110)", #"<a href="https://example.org/rfc9110" rel="nofollow noopener noreferrer">RFC</a>"#),
            (
                "[w](http://example.org/wiki/Foo_bar) next",
                #"<a href="http://example.org/wiki/Foo_bar" rel="nofollow noopener noreferrer">w</a> next"#
            ),
            ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
            ("[x](JaVaScRiPt:alert(1))", "<p>[x](JaVaScRiPt:alert(1))</p>"),
            ("[x](data:text/html,<script>alert(1)</script>)", "<p>[x](data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;)</p>"),
            (
                #"[x](https://a.example/"onmouseover="alert(1))"#,
                #"<a href="https://a.example/&quot;onmouseover=&quot;alert(1" rel="nofollow noopener noreferrer">x</a>)"#
            ),
        ])
    func links(markdown: String, expected: String) {
        #expect(NoteHTML.render(markdown).contains(expected))
    }

    @Test("HTML, event handlers and headings are shown as the text they are")
    func everythingElseEscaped() {
        let html = NoteHTML.render(
            """
            # not a heading
            <script>alert(1)</script> <img src=x onerror="alert(1)"> & 'quotes'
            """)
        #expect(
            html == "<p># not a heading\n&lt;script&gt;alert(1)&lt;/script&gt; "
                + "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quotes&#39;</p>\n")
    }

    @Test("unclosed delimiters, snake_case and escaped stars stay as typed")
    func literalDelimiters() {
        #expect(
            NoteHTML.render("2 * 3 and snake_case_name and \\*not em\\* and `open") == "<p>2 * 3 and snake_case_name and *not em* and `open</p>\n")
    }

    @Test("a hostile 64 KB note of delimiters renders quickly")
    func pathologicalInput() {
        for unit in ["*a ", "[", "`` `", "**_", "[a](", "_a *b ", "`a", "[a](http://x"] {
            let text = String(repeating: unit, count: 65_536 / unit.utf8.count)
            let started = ContinuousClock.now
            let html = NoteHTML.render(text)
            #expect(ContinuousClock.now - started < .seconds(2), "\(unit.debugDescription) took too long")
            #expect(!html.contains("<script"))
        }
    }
}
