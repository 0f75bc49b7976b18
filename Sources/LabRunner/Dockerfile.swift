import Foundation

/// A Dockerfile read the way the builder reads it, as far as the container lab's rules need: the
/// parser directive for the escape character, comments, line continuations (with comment and
/// blank lines inside them skipped), here-documents (`RUN <<EOF … EOF`), and each instruction's
/// flags and arguments, in exec form (a JSON array) or shell form. Pure: text in, instructions out.
public struct Dockerfile: Sendable {
    /// One instruction, its continuation lines joined.
    public struct Instruction: Sendable, Equatable {
        /// Upper-cased: `FROM`, `RUN`, `COPY`, …
        public let keyword: String
        /// Everything after the keyword and the flags, continuation lines joined with a space.
        public let arguments: String
        /// `--from=build` is `["from": "build"]`; flags without a value map to "".
        public let flags: [String: String]
        /// The line the instruction starts on, 1-based.
        public let line: Int
        /// The words of an exec-form instruction (`CMD ["node", "server.js"]`); `nil` in shell form.
        public let execForm: [String]?

        /// The instruction as a report shows it, e.g. `Dockerfile:7: CMD node server.js`.
        public var shown: String {
            let flagText = flags.sorted { $0.key < $1.key }.map { $0.value.isEmpty ? "--\($0.key)" : "--\($0.key)=\($0.value)" }
            return "Dockerfile:\(line): " + ([keyword] + flagText + [arguments]).filter { !$0.isEmpty }.joined(separator: " ")
        }
    }

    /// A build stage: a `FROM` and the instructions up to the next one.
    public struct Stage: Sendable {
        public let from: Instruction
        /// The image (or earlier stage) it starts from, ARG defaults filled in.
        public let base: String
        /// The name given with `AS`, lower-cased; `nil` when it has none.
        public let name: String?
        public let instructions: [Instruction]
    }

    /// The keywords the builder knows.
    public static let keywords: Set<String> = [
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME", "USER", "WORKDIR",
        "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    ]

    public let instructions: [Instruction]
    /// Lines that are no instruction the builder knows, as `Dockerfile:N: …` problems.
    public let problems: [String]

    public init(_ text: String) {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n")
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0].removeFirst() }
        var escape: Character = "\\"
        var index = 0
        // Parser directives: `# name=value` lines at the very top.
        while index < lines.count, let match = lines[index].wholeMatch(of: /\s*#\s*([A-Za-z]+)\s*=\s*(\S+)\s*/) {
            if match.1.lowercased() == "escape", let first = match.2.first, match.2.count == 1 { escape = first }
            index += 1
        }
        var instructions: [Instruction] = []
        var problems: [String] = []
        while index < lines.count {
            let start = index
            let first = lines[index]
            index += 1
            let trimmed = first.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            var logical = trimmed
            while Self.continues(logical, escape: escape) {
                logical = String(logical.trimmingCharacters(in: .whitespaces).dropLast()).trimmingCharacters(in: .whitespaces)
                var next: String?
                while index < lines.count {
                    let candidate = lines[index].trimmingCharacters(in: .whitespaces)
                    index += 1
                    if candidate.hasPrefix("#") || candidate.isEmpty { continue }
                    next = candidate
                    break
                }
                guard let next else { break }
                logical += " " + next
            }
            // Here-documents: the lines up to each terminator belong to the instruction.
            for match in logical.matches(of: /<<-?["']?([A-Za-z_][A-Za-z0-9_]*)["']?/) {
                let terminator = String(match.1)
                while index < lines.count {
                    let body = lines[index]
                    index += 1
                    if body.trimmingCharacters(in: .whitespaces) == terminator { break }
                    logical += "\n" + body
                }
            }
            guard let instruction = Self.instruction(logical, line: start + 1) else {
                problems.append("Dockerfile:\(start + 1): '\(trimmed.prefix(60))' is no Dockerfile instruction")
                continue
            }
            instructions.append(instruction)
        }
        self.instructions = instructions
        self.problems = problems
    }

    private static func continues(_ line: String, escape: Character) -> Bool {
        line.trimmingCharacters(in: .whitespaces).last == escape
    }

    private static func instruction(_ text: String, line: Int) -> Instruction? {
        let keywordEnd = text.firstIndex(where: \.isWhitespace) ?? text.endIndex
        let keyword = text[..<keywordEnd].uppercased()
        guard keywords.contains(keyword) else { return nil }
        var rest = text[keywordEnd...].trimmingCharacters(in: .whitespaces)
        var flags: [String: String] = [:]
        // `--name=value` flags come first (not for RUN's shell text after them, nor for CMD).
        while rest.hasPrefix("--") {
            let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
            let flag = rest[rest.index(rest.startIndex, offsetBy: 2)..<end]
            if let equals = flag.firstIndex(of: "=") {
                flags[flag[..<equals].lowercased()] = String(flag[flag.index(after: equals)...])
            } else {
                flags[flag.lowercased()] = ""
            }
            rest = rest[end...].trimmingCharacters(in: .whitespaces)
        }
        var execForm: [String]?
        if rest.hasPrefix("["), let data = rest.data(using: .utf8),
            let words = try? JSONSerialization.jsonObject(with: data) as? [String]
        {
            execForm = words
        }
        return Instruction(keyword: keyword, arguments: rest, flags: flags, line: line, execForm: execForm)
    }

    /// `ARG` defaults declared before the first `FROM`: what `${NAME}` in a `FROM` stands for.
    public var globalArguments: [String: String] {
        var values: [String: String] = [:]
        for instruction in instructions {
            if instruction.keyword == "FROM" { break }
            guard instruction.keyword == "ARG" else { continue }
            let parts = instruction.arguments.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'")) }
        }
        return values
    }

    /// The build stages, in order.
    public var stages: [Stage] {
        let arguments = globalArguments
        var stages: [Stage] = []
        var current: (from: Instruction, base: String, name: String?, body: [Instruction])?
        for instruction in instructions {
            if instruction.keyword == "FROM" {
                if let current { stages.append(Stage(from: current.from, base: current.base, name: current.name, instructions: current.body)) }
                let words = instruction.arguments.split(whereSeparator: \.isWhitespace).map(String.init)
                var base = words.first ?? ""
                for (name, value) in arguments {
                    base = base.replacingOccurrences(of: "${\(name)}", with: value).replacingOccurrences(of: "$\(name)", with: value)
                }
                let name = words.count >= 3 && words[1].uppercased() == "AS" ? words[2].lowercased() : nil
                current = (instruction, base, name, [])
            } else if current != nil {
                current?.body.append(instruction)
            }
        }
        if let current { stages.append(Stage(from: current.from, base: current.base, name: current.name, instructions: current.body)) }
        return stages
    }

    /// The final stage and the earlier stages it is built on (`FROM build AS final`), last first:
    /// what the image that runs holds.
    public var finalChain: [Stage] {
        let stages = self.stages
        guard var stage = stages.last else { return [] }
        var chain = [stage]
        while let parent = stages.first(where: { $0.name != nil && $0.name == stage.base.lowercased() }),
            !chain.contains(where: { $0.from == parent.from })
        {
            chain.append(parent)
            stage = parent
        }
        return chain
    }
}
