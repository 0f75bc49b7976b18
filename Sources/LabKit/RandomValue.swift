import ContentKit

/// A value a lab draws fresh for every run (`title: words(3)`), so answers cannot be hard-coded;
/// the run's seed fixes every draw, so `--seed` replays a run exactly.
public enum RandomValue: Sendable, Equatable, CustomStringConvertible {
    case word
    case words(Int)
    case number(ClosedRange<Int>)
    case email
    case uuid
    /// A day in these years, written `2016-12-25`; it also binds `NAME_unix`, `NAME_utc`, `NAME_text`,
    /// `NAME_long` and `NAME_eve_text` (the day before, written like `NAME_text`: what a server west
    /// of Greenwich answers; see ``derivedNames(of:)``).
    case date(ClosedRange<Int>)

    /// The forms an author may write, for error messages.
    public static let forms = "word, words(N), number(MIN, MAX), email, uuid, date(FROM_YEAR, TO_YEAR)"

    /// Reads `word`, `words(3)`, `number(1, 100)`, `email`, `uuid` or `date(1990, 1999)`; `nil` for anything else.
    public init?(_ text: String) {
        let spec = text.filter { !$0.isWhitespace }
        switch spec {
        case "word": self = .word
        case "email": self = .email
        case "uuid": self = .uuid
        default:
            if let match = spec.wholeMatch(of: /words\((\d+)\)/), let count = Int(match.1), (1...12).contains(count) {
                self = .words(count)
            } else if let match = spec.wholeMatch(of: /number\((-?\d+),(-?\d+)\)/),
                let low = Int(match.1), let high = Int(match.2), low <= high
            {
                self = .number(low...high)
            } else if let match = spec.wholeMatch(of: /date\((\d{4}),(\d{4})\)/),
                let low = Int(match.1), let high = Int(match.2), 1900 <= low, low <= high, high <= 2100
            {
                self = .date(low...high)
            } else {
                return nil
            }
        }
    }

    public var description: String {
        switch self {
        case .word: "word"
        case .words(let count): "words(\(count))"
        case .number(let range): "number(\(range.lowerBound), \(range.upperBound))"
        case .email: "email"
        case .uuid: "uuid"
        case .date(let years): "date(\(years.lowerBound), \(years.upperBound))"
        }
    }

    /// The names a value of this kind binds besides its own: a date's other spellings.
    public func derivedNames(of name: String) -> [String] {
        guard case .date = self else { return [] }
        return CalendarDay.derivedSuffixes.map { name + $0 }
    }

    /// Every value bound for `name` in a run with `seed`: the drawn value, then any derived ones.
    public func values(name: String, seed: UInt64) -> [(name: String, value: JSONValue)] {
        let value = draw(name: name, seed: seed)
        guard case .date = self, let day = CalendarDay(iso: value.plainText) else { return [(name, value)] }
        return [(name, value)] + zip(derivedNames(of: name), day.derivedValues).map { ($0, $1) }
    }

    /// The value drawn for `name` in a run with `seed`; it depends only on those two, so adding a
    /// value to a lab does not change the others.
    public func draw(name: String, seed: UInt64) -> JSONValue {
        var generator = SeededGenerator(seed: seed ^ Self.fnv1a(name))
        switch self {
        case .word:
            return .string(Self.words.randomElement(using: &generator)!)
        case .words(let count):
            return .string((0..<count).map { _ in Self.words.randomElement(using: &generator)! }.joined(separator: " "))
        case .number(let range):
            return .number(Double(Int.random(in: range, using: &generator)))
        case .email:
            let user = Self.words.randomElement(using: &generator)! + String(Int.random(in: 100...999, using: &generator))
            return .string("\(user)@example.com")
        case .uuid:
            var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes[6] = bytes[6] & 0x0f | 0x40
            bytes[8] = bytes[8] & 0x3f | 0x80
            let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
            let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
                String(hex.dropFirst(range.lowerBound).prefix(range.count))
            }
            return .string(groups.joined(separator: "-"))
        case .date(let years):
            let first = CalendarDay(year: years.lowerBound, month: 1, day: 1).daysSinceEpoch
            let last = CalendarDay(year: years.upperBound, month: 12, day: 31).daysSinceEpoch
            return .string(CalendarDay(daysSinceEpoch: Int.random(in: first...last, using: &generator)).iso)
        }
    }

    /// FNV-1a: a stable hash (Swift's `Hasher` changes between processes, which would break `--seed`).
    static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
    }

    /// Short, common, lowercase words: safe in URLs, JSON and shells.
    static let words = [
        "amber", "anchor", "apple", "arrow", "aspen", "autumn", "badger", "bamboo", "basil", "beacon",
        "birch", "bison", "blossom", "bramble", "breeze", "brook", "cactus", "canyon", "cedar", "cherry",
        "cinder", "clover", "cobalt", "comet", "copper", "coral", "cotton", "crane", "crystal", "daisy",
        "delta", "dune", "eagle", "ember", "falcon", "fern", "fjord", "flint", "forest", "fossil",
        "garnet", "ginger", "glacier", "granite", "harbor", "hazel", "heron", "hollow", "indigo", "island",
        "ivory", "jasper", "juniper", "kestrel", "lagoon", "lantern", "lemon", "lilac", "linen", "lotus",
        "maple", "marble", "meadow", "mesa", "mint", "moss", "nectar", "nutmeg", "oak", "ocean",
        "olive", "onyx", "orchid", "otter", "pebble", "pepper", "pine", "plum", "prairie", "quartz",
        "quill", "raven", "reef", "ridge", "river", "robin", "saffron", "sage", "sequoia", "shadow",
        "silver", "slate", "sparrow", "spruce", "summit", "thistle", "thunder", "tide", "timber", "topaz",
        "tulip", "tundra", "valley", "velvet", "walnut", "willow", "winter", "wren", "yarrow", "zephyr",
    ]
}

/// SplitMix64: tiny, fast, and the same sequence on every platform for a given seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
