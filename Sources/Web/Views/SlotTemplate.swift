import NIOCore

/// A page fragment rendered once by Mustache with markers where per-request values go, then filled
/// in by concatenation. The markup stays in the templates; a request costs a string join instead
/// of a render (Mustache looks values up by reflection, which is slow on a hot page).
struct SlotTemplate: Sendable {
    /// The text Mustache should render where slot `index` goes. It survives HTML escaping.
    static func marker(_ index: Int) -> String { "\u{1}\(index)\u{1}" }

    /// Text between the markers: `pieces[0] slot pieces[1] slot … pieces[n]`.
    private let pieces: [String]
    /// Which value fills each gap, in order.
    private let slots: [Int]

    init(rendered: String) {
        var pieces: [String] = []
        var slots: [Int] = []
        var current = ""
        var scalars = rendered.unicodeScalars[...]
        while let scalar = scalars.popFirst() {
            guard scalar == "\u{1}", let end = scalars.firstIndex(of: "\u{1}"),
                  let slot = Int(String(String.UnicodeScalarView(scalars[..<end]))) else {
                current.unicodeScalars.append(scalar)
                continue
            }
            pieces.append(current)
            slots.append(slot)
            current = ""
            scalars = scalars[scalars.index(after: end)...]
        }
        pieces.append(current)
        self.pieces = pieces
        self.slots = slots
    }

    /// Appends the fragment with `values[i]` in slot `i`; values must already be HTML-safe.
    func fill(_ values: [String], into output: inout String) {
        for (piece, slot) in zip(pieces, slots) {
            output += piece
            output += values[slot]
        }
        output += pieces[pieces.count - 1]
    }

    /// The fragment with `values[i]` in slot `i`, as the bytes of a response body.
    func bytes(_ values: [String]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: fixedLength + slots.reduce(0) { $0 + values[$1].utf8.count })
        for (piece, slot) in zip(pieces, slots) {
            buffer.writeString(piece)
            buffer.writeString(values[slot])
        }
        buffer.writeString(pieces[pieces.count - 1])
        return buffer
    }

    /// The total size of the fixed text, to reserve capacity.
    var fixedLength: Int { pieces.reduce(0) { $0 + $1.utf8.count } }
}

extension String {
    /// The text with `& < > " '` escaped, safe inside HTML text and quoted attributes.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
