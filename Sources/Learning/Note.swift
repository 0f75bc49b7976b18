import Foundation

/// A learner's own note on one topic, in Markdown (the safe subset ``NoteMarkdown`` reads). Notes
/// are the learner's alone: no one else, in any mode, reads them.
public struct Note: Sendable, Equatable, Codable {
    public let topicID: String
    public let text: String
    /// Milliseconds since 1970: notes saved within the same second still list newest first.
    public let updatedAt: Int64

    public init(topicID: String, text: String, updatedAt: Int64) {
        self.topicID = topicID
        self.text = text
        self.updatedAt = updatedAt
    }
}

/// What a note may hold, checked before anything is stored.
public enum NoteRules {
    /// The most a note holds, in bytes of UTF-8 (64 KiB): pages of notes, never a dumped file.
    public static let maxBytes = 64 * 1024

    /// Why a note text cannot be stored, in words the learner can act on.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case tooLarge(bytes: Int)
        case containsNUL

        public var description: String {
            switch self {
            case .tooLarge(let bytes):
                "Your note is \(kilobytes(bytes)) KB; a note holds at most \(kilobytes(maxBytes)) KB (\(maxBytes) bytes). "
                    + "Shorten it, or move part of it to another topic's note."
            case .containsNUL:
                "Your note contains the NUL character, which a note cannot hold. Remove it and save again."
            }
        }

        private func kilobytes(_ bytes: Int) -> String {
            let tenths = (bytes * 10 + 512) / 1024
            return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
        }
    }

    /// The text as it is stored (line endings made `\n`), or the problem that stops it being stored.
    public static func validated(_ text: String) throws(Problem) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        guard !normalized.utf8.contains(0) else { throw .containsNUL }
        guard normalized.utf8.count <= maxBytes else { throw .tooLarge(bytes: normalized.utf8.count) }
        return normalized
    }
}
