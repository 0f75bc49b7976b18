import Curriculum
import Learning

/// What the `/notes` page shows: every note of the learner, newest first, each linked to its topic
/// (a topic the roadmap no longer has is named by its id, unlinked) with the note's opening lines.
struct NotesPageModel {
    struct Row {
        let topicID: String
        let title: String
        let linked: Bool
        let excerpt: String
        let saved: String
    }

    static let excerptLength = 280

    let rows: [Row]
    let hasNotes: Bool

    init(notes: [Note], roadmap: Roadmap) {
        rows = notes.map { note in
            let topic = roadmap.topic(id: note.topicID)
            let excerpt = note.text.count > Self.excerptLength ? String(note.text.prefix(Self.excerptLength)) + "…" : note.text
            return Row(
                topicID: note.topicID, title: topic?.title ?? note.topicID, linked: topic != nil, excerpt: excerpt,
                saved: NoteServices.savedLabel(note))
        }
        hasNotes = !rows.isEmpty
    }
}

/// What the page for one topic's note shows: the form, the note as it renders, and a message when
/// the last save was refused (with the refused text kept in the form, so nothing typed is lost).
struct NotePageModel {
    let topicID: String
    let topicTitle: String
    let text: String
    let html: String
    let saved: String
    let message: String?

    init(topic: Topic, note: Note?, draft: String? = nil, message: String? = nil) {
        topicID = topic.id
        topicTitle = topic.title
        text = draft ?? note?.text ?? ""
        html = NoteHTML.render(note?.text ?? "")
        saved = NoteServices.savedLabel(note)
        self.message = message
    }
}
