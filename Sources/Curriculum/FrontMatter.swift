import ContentKit
import Yams

/// A content file split into its YAML front matter and its Markdown body.
struct FrontMatterFile {
    /// The parsed YAML mapping between the two `---` lines.
    let node: Node
    let body: String
    /// Line (1-based) in the file where the body starts.
    let bodyLine: Int

    /// Line numbers in Yams marks count from the start of the YAML; the file has one `---` line above it.
    static let yamlLineOffset = 1

    init(text: String, path: String) throws(ContentProblem) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }) == "---" else {
            throw ContentProblem(path: path, line: 1, message: "front matter missing: the file must start with a line '---'")
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            throw ContentProblem(path: path, line: 1, message: "front matter is not closed: add a line '---' after it")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.problem(from: error, path: path)
        } catch {
            throw ContentProblem(path: path, line: 2, message: "front matter is not valid YAML: \(error)")
        }
        guard let node, node.mapping != nil else {
            throw ContentProblem(path: path, line: 2, message: "front matter must be a YAML mapping of fields (id: …, title: …)")
        }
        self.node = node
        self.body = lines[(end + 1)...].joined(separator: "\n")
        self.bodyLine = end + 2
    }

    private static func problem(from error: YamlError, path: String) -> ContentProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ContentProblem(path: path, line: mark.line + yamlLineOffset, message: "front matter is not valid YAML: \(problem)")
        default:
            return ContentProblem(path: path, line: 2, message: "front matter is not valid YAML: \(error)")
        }
    }
}
