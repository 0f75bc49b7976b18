import Foundation
import LabRunner
import Testing

/// A target is an origin: what the CLI's `--target` and the web form accept, and what they refuse
/// with a message naming the part to remove.
@Suite("Lab targets are origins only")
struct LabTargetTests {
    @Test(
        "an origin is accepted, with or without a final slash, and comes back without it",
        arguments: [
            ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
            ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
            ("  https://api.example.org  ", "https://api.example.org"),
            ("HTTP://[::1]:8080", "HTTP://[::1]:8080"),
        ])
    func accepted(text: String, origin: String) throws {
        // MUT
        let url = try LabTarget.origin(text).get()
        // validate
        #expect(url.absoluteString == origin)
    }

    @Test(
        "a path, query, fragment or user name is refused, naming the part",
        arguments: [
            ("http://169.254.169.254/latest/meta-data/#", "has a path (/latest/meta-data/)"),
            ("http://127.0.0.1:3000/api", "has a path (/api)"),
            ("http://127.0.0.1:3000?debug=1", "has a query (?debug=1)"),
            ("http://127.0.0.1:3000/?", "has a query (?)"),
            ("http://127.0.0.1:3000#top", "has a fragment (#top)"),
            ("http://127.0.0.1:3000/#", "has a fragment (#)"),
            ("http://admin:secret@127.0.0.1:3000", "has a user name or password (before the @)"),
            ("http://admin@127.0.0.1:3000", "has a user name or password (before the @)"),
            ("ftp://127.0.0.1", "is not an http:// or https:// URL"),
            ("127.0.0.1:3000", "is not an http:// or https:// URL"),
            ("http://", "is not an http:// or https:// URL"),
        ])
    func refused(text: String, reason: String) {
        // MUT
        let result = LabTarget.origin(text)
        // validate
        guard case .failure(let invalid) = result else {
            Issue.record("'\(text)' was accepted as \(result)")
            return
        }
        #expect(invalid.message.contains(reason), "\(invalid.message)")
        #expect(invalid.message.hasSuffix("give e.g. http://127.0.0.1:3000") || invalid.message.hasSuffix("e.g. http://127.0.0.1:3000"))
    }
}
