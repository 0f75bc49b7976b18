import Curriculum
import Foundation
import Hummingbird
import Learning
import Storage

/// What the notes pages and API use: the roadmap (a note belongs to a topic that exists), the
/// learner's notes, and the page renderer.
struct NoteServices: Sendable {
    let roadmap: Roadmap
    let pages: PageRenderer
    let notes: any NoteRepository

    /// Checks the text against ``NoteRules`` and stores it; a blank note deletes the stored one
    /// (and answers nil). Problems become the 413 or 422 that says what to change.
    func save(_ text: String, learnerID: String, topicID: String) async throws -> Note? {
        let checked: String
        do {
            checked = try NoteRules.validated(text)
        } catch let problem as NoteRules.Problem {
            if case .tooLarge = problem { throw UserFacingError(.contentTooLarge, problem.description) }
            throw UserFacingError(.unprocessableContent, problem.description)
        }
        if checked.allSatisfy(\.isWhitespace) {
            _ = try await notes.delete(learnerID: learnerID, topicID: topicID)
            return nil
        }
        return try await notes.save(learnerID: learnerID, topicID: topicID, text: checked, now: WallClock.nowMilliseconds())
    }

    /// When a note was saved, as a page shows it.
    static func savedLabel(_ note: Note?) -> String {
        guard let note else { return "Not saved yet." }
        let date = Date(timeIntervalSince1970: TimeInterval(note.updatedAt) / 1000)
        return "Saved " + date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened)) + "."
    }
}

extension NoteServices {
    /// The notes pages and the notes API, for ``buildRouter(_:)``.
    func addRoutes(to router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>) {
        NotePages(services: self).addRoutes(to: router)
        NoteController(services: self).addRoutes(to: api)
    }
}
