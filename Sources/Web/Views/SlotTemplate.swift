import NIOCore

/// A page fragment rendered once by Mustache with markers where per-request values go, then filled
/// in by concatenation. The markup stays in the templates; a request costs a string join instead
/// of a render (Mustache looks values up by reflection, which is slow on a hot page).
///
/// Only text Mustache rendered from trusted templates and content is ever parsed for markers.
/// Values (which may hold what a learner typed) are joined in and never parsed again: a template
/// filled in part is made with ``partiallyFilled(_:)``, not by re-reading its text. As a second
/// guard, ``Swift/String/htmlEscaped`` turns control characters into U+FFFD, so escaped text
/// cannot hold a marker at all.
struct SlotTemplate: Sendable {
    /// The text Mustache should render where slot `index` goes. It survives Mustache's escaping;
    /// ``Swift/String/htmlEscaped`` cannot produce it.
    static func marker(_ index: Int) -> String { "\u{1}\(index)\u{1}" }

    /// Whether `text` is exactly one marker (what Mustache is given for a slot).
    static func isMarker(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        return scalars.count >= 3 && scalars.first == "\u{1}" && scalars.last == "\u{1}"
            && scalars.dropFirst().dropLast().allSatisfy { ("0"..."9").contains($0) }
    }

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
                let slot = Int(String(String.UnicodeScalarView(scalars[..<end])))
            else {
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

    private init(pieces: [String], slots: [Int]) {
        self.pieces = pieces
        self.slots = slots
    }

    /// The value for `slot`; a slot without a value (which a correct caller never leaves) is empty.
    private static func value(_ values: [String], _ slot: Int) -> String {
        values.indices.contains(slot) ? values[slot] : ""
    }

    /// Appends the fragment with `values[i]` in slot `i`; values must already be HTML-safe.
    func fill(_ values: [String], into output: inout String) {
        for (piece, slot) in zip(pieces, slots) {
            output += piece
            output += Self.value(values, slot)
        }
        output += pieces[pieces.count - 1]
    }

    /// The fragment with `values[i]` in slot `i` where it is not nil; slots given nil stay open,
    /// under their own numbers. The values are joined in, never parsed for markers.
    func partiallyFilled(_ values: [String?]) -> SlotTemplate {
        var newPieces: [String] = []
        var newSlots: [Int] = []
        var current = ""
        for (piece, slot) in zip(pieces, slots) {
            current += piece
            if values.indices.contains(slot), let value = values[slot] {
                current += value
            } else if values.indices.contains(slot) {
                newPieces.append(current)
                newSlots.append(slot)
                current = ""
            }
        }
        newPieces.append(current + pieces[pieces.count - 1])
        return SlotTemplate(pieces: newPieces, slots: newSlots)
    }

    /// The fragment with `values[i]` in slot `i`, as the bytes of a response body.
    func bytes(_ values: [String]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: fixedLength + slots.reduce(0) { $0 + Self.value(values, $1).utf8.count })
        for (piece, slot) in zip(pieces, slots) {
            buffer.writeString(piece)
            buffer.writeString(Self.value(values, slot))
        }
        buffer.writeString(pieces[pieces.count - 1])
        return buffer
    }

    /// The fixed text between the slots, and the slot each gap holds (for ``GzipTemplate``).
    var parts: (pieces: [String], slots: [Int]) { (pieces, slots) }

    /// The total size of the fixed text, to reserve capacity.
    var fixedLength: Int { pieces.reduce(0) { $0 + $1.utf8.count } }
}

extension String {
    /// The text with `& < > " '` escaped, safe inside HTML text and quoted attributes. Control
    /// characters other than tab, line feed and carriage return (which HTML does not allow, and
    /// which ``SlotTemplate``'s markers are made of) become U+FFFD.
    var htmlEscaped: String {
        var escaped = String.UnicodeScalarView()
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped.append(contentsOf: "&amp;".unicodeScalars)
            case "<": escaped.append(contentsOf: "&lt;".unicodeScalars)
            case ">": escaped.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": escaped.append(contentsOf: "&quot;".unicodeScalars)
            case "'": escaped.append(contentsOf: "&#39;".unicodeScalars)
            case "\t", "\n", "\r": escaped.append(scalar)
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}": escaped.append("\u{FFFD}")
            default: escaped.append(scalar)
            }
        }
        return String(escaped)
    }
}
