/// A note of the `rest-json` lab.
struct Note: Sendable {
    let id: Int
    var title: String
    var body: String
    var pinned: Bool

    var json: [String: Any] { ["id": id, "title": title, "body": body, "pinned": pinned] }
}

/// The notes, in creation order, in memory: the reference solution needs nothing more.
actor NoteStore {
    private var notes: [Note] = []
    private var nextID = 1
    /// The `racy-ids` mutant reads the counter, waits, then writes it — the classic lost update.
    private let racyIDs: Bool

    init(racyIDs: Bool) {
        self.racyIDs = racyIDs
    }

    func create(title: String, body: String, pinned: Bool) async -> Note {
        let id = nextID
        if racyIDs {
            try? await Task.sleep(for: .milliseconds(20))
        }
        nextID = id + 1
        let note = Note(id: id, title: title, body: body, pinned: pinned)
        notes.append(note)
        return note
    }

    func note(id: Int) -> Note? {
        notes.first { $0.id == id }
    }

    /// Replaces the note with `id` by `change(note)`; `nil` when there is no such note.
    func update(id: Int, _ change: (inout Note) -> Void) -> Note? {
        guard let index = notes.firstIndex(where: { $0.id == id }) else { return nil }
        change(&notes[index])
        return notes[index]
    }

    func delete(id: Int) {
        notes.removeAll { $0.id == id }
    }

    func all() -> [Note] { notes }
}
