import Foundation

/// A note of the `rest-json` lab.
struct Note: Sendable, Codable {
    let id: Int
    var title: String
    var body: String
    var pinned: Bool

    var json: [String: Any] { ["id": id, "title": title, "body": body, "pinned": pinned] }
}

/// The notes, in creation order. Given a file, they are written there after every change and read
/// back at start, so they survive a restart (the lab's `restart` stage); without one they live in
/// memory only.
actor NoteStore {
    private var notes: [Note] = []
    private var nextID = 1
    /// The `racy-ids` mutant reads the counter, waits, then writes it — the classic lost update.
    private let racyIDs: Bool
    private let file: URL?

    /// What the file holds: the next id as well, so a note created after a restart never reuses one.
    private struct Saved: Codable {
        let nextID: Int
        let notes: [Note]
    }

    init(racyIDs: Bool, file: URL?) throws(NotesFileProblem) {
        self.racyIDs = racyIDs
        self.file = file
        guard let file, FileManager.default.fileExists(atPath: file.path) else { return }
        do {
            let saved = try JSONDecoder().decode(Saved.self, from: Data(contentsOf: file))
            notes = saved.notes
            nextID = saved.nextID
        } catch {
            throw NotesFileProblem(path: file.path, reason: "it is not a notes file this backend wrote (\(error.localizedDescription))")
        }
    }

    func create(title: String, body: String, pinned: Bool) async throws -> Note {
        let id = nextID
        if racyIDs {
            try? await Task.sleep(for: .milliseconds(20))
        }
        nextID = id + 1
        let note = Note(id: id, title: title, body: body, pinned: pinned)
        notes.append(note)
        try save()
        return note
    }

    func note(id: Int) -> Note? {
        notes.first { $0.id == id }
    }

    /// Replaces the note with `id` by `change(note)`; `nil` when there is no such note.
    func update(id: Int, _ change: (inout Note) -> Void) throws -> Note? {
        guard let index = notes.firstIndex(where: { $0.id == id }) else { return nil }
        change(&notes[index])
        try save()
        return notes[index]
    }

    func delete(id: Int) throws {
        notes.removeAll { $0.id == id }
        try save()
    }

    func all() -> [Note] { notes }

    private func save() throws {
        guard let file else { return }
        try JSONEncoder().encode(Saved(nextID: nextID, notes: notes)).write(to: file, options: .atomic)
    }
}

/// A `--notes-file` the backend cannot read back.
struct NotesFileProblem: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot use the notes file '\(path)': \(reason); delete it or pass another --notes-file" }
}
