import Curriculum
import Learning
import Storage
import Synchronization

/// The topic page, assembled per request from fragments Mustache rendered with markers where the
/// learner's parts go (see ``SlotTemplate``). A topic's page (lesson, resources and all) and its
/// labs block are rendered the first time the topic is asked for, once for those who can change its
/// state and once for visitors; the quiz and SQL practice blocks are shared by every topic. A
/// request only fills in the learner's state, quiz record, due reviews, lab results, SQL progress,
/// note, form token and email. The templates (`topic`, `topic-quiz`, `topic-sql`, `topic-sql-row`,
/// `topic-labs`) hold all the markup.
final class TopicPageView: Sendable {
    private struct Key: Hashable {
        let topicID: String
        let canChangeState: Bool
    }

    /// One topic's page, and its labs block without and with the "verified" badge (none without labs).
    private struct Rendered: Sendable {
        let page: SlotTemplate
        let labs: [Bool: SlotTemplate]
    }

    private struct QuizVariant: Hashable {
        let hasRecord: Bool
        let hasDueNote: Bool
        let signInToSave: Bool
    }

    private enum PageSlot: Int, CaseIterable {
        case csrfToken, email, state, stateLabel, quiz, sql, labs, noteText, noteHTML, noteSaved
        /// Then `aria-pressed` of each state's button, in `ProgressState.allCases` order.
        case firstChoice
    }

    /// After the state buttons' slots: the navigation's review count, then the one-time message.
    private static let reviewBadgeSlot = PageSlot.firstChoice.rawValue + ProgressState.allCases.count

    private enum QuizSlot: Int {
        case topicID, questionCount, record, dueNote
    }

    private enum SQLSlot: Int {
        case summary, rows
    }

    private enum SQLRowSlot: Int {
        case number, title, kind, label
    }

    private let renderer: PageRenderer
    private let roadmap: Roadmap
    private let quizBlocks: [QuizVariant: SlotTemplate]
    /// Without and with the "5 of 64 solved" line.
    private let sqlBlocks: [Bool: SlotTemplate]
    private let sqlRowNew: SlotTemplate
    private let sqlRowTried: SlotTemplate
    private let cache = Mutex<[Key: Rendered]>([:])

    init(pages renderer: PageRenderer, roadmap: Roadmap) {
        self.renderer = renderer
        self.roadmap = roadmap
        var quizBlocks: [QuizVariant: SlotTemplate] = [:]
        let quiz = { (slot: QuizSlot) in SlotTemplate.marker(slot.rawValue) }
        for hasRecord in [false, true] {
            for hasDueNote in [false, true] {
                for signInToSave in [false, true] {
                    quizBlocks[QuizVariant(hasRecord: hasRecord, hasDueNote: hasDueNote, signInToSave: signInToSave)] =
                        SlotTemplate(
                            rendered: renderer.fragment(
                                "topic-quiz",
                                QuizBlock(
                                    topicID: quiz(.topicID), questionCount: quiz(.questionCount), record: hasRecord ? quiz(.record) : nil,
                                    dueNote: hasDueNote ? quiz(.dueNote) : nil, signInToSave: signInToSave
                                )))
                }
            }
        }
        self.quizBlocks = quizBlocks
        let sql = { (slot: SQLSlot) in SlotTemplate.marker(slot.rawValue) }
        sqlBlocks = Dictionary(
            uniqueKeysWithValues: [false, true].map { hasSummary in
                (
                    hasSummary,
                    SlotTemplate(rendered: renderer.fragment("topic-sql", SQLBlock(hasSummary: hasSummary, summary: sql(.summary), rows: sql(.rows))))
                )
            })
        let row = { (slot: SQLRowSlot) in SlotTemplate.marker(slot.rawValue) }
        func sqlRow(isNew: Bool) -> SlotTemplate {
            SlotTemplate(
                rendered: renderer.fragment(
                    "topic-sql-row",
                    SQLRow(
                        number: row(.number), title: row(.title), status: .init(isNew: isNew, kind: row(.kind), label: row(.label))
                    )))
        }
        sqlRowNew = sqlRow(isNew: true)
        sqlRowTried = sqlRow(isNew: false)
    }

    /// The page for one learner (or visitor); `signedInEmail` is shown in team mode only.
    func html(
        topic: Topic, stageTitle: String, state: ProgressState, canChangeState: Bool, signedInEmail: String?,
        csrfToken: String, quiz: TopicQuizLink?, labs: TopicLabsModel, sql: TopicSQLExercisesModel, note: Note?,
        reviewsDue: Int = 0, flash: String? = nil
    ) -> String {
        let rendered = fragments(for: topic, stageTitle: stageTitle, canChangeState: canChangeState, labs: labs)

        var quizHTML = ""
        if let quiz {
            let variant = QuizVariant(hasRecord: quiz.record != nil, hasDueNote: quiz.dueNote != nil, signInToSave: quiz.signInToSave)
            quizBlocks[variant]?.fill(
                [
                    quiz.topicID.htmlEscaped, String(quiz.questionCount), quiz.record?.htmlEscaped ?? "", quiz.dueNote?.htmlEscaped ?? "",
                ], into: &quizHTML)
        }

        var sqlHTML = ""
        if sql.hasExercises {
            var rows = ""
            for row in sql.rows {
                let values = [String(row.number), row.title.htmlEscaped, row.status.kind.htmlEscaped, row.status.label.htmlEscaped]
                (row.status.isNew ? sqlRowNew : sqlRowTried).fill(values, into: &rows)
            }
            sqlBlocks[sql.hasSummary]?.fill([sql.summary.htmlEscaped, rows], into: &sqlHTML)
        }

        var labsHTML = ""
        if labs.hasLabs {
            let values = labs.rows.flatMap { [$0.result.kind.htmlEscaped, $0.result.label.htmlEscaped] }
            rendered.labs[labs.verified]?.fill(values, into: &labsHTML)
        }

        var values = [
            csrfToken.htmlEscaped, signedInEmail?.htmlEscaped ?? "", state.rawValue.htmlEscaped, state.label.htmlEscaped,
            quizHTML, sqlHTML, labsHTML, note?.text.htmlEscaped ?? "", NoteHTML.render(note?.text ?? ""), NoteServices.savedLabel(note).htmlEscaped,
        ]
        values += ProgressState.allCases.map { $0 == state ? "true" : "false" }
        values += [ReviewCount.badge(reviewsDue), Flash.html(flash)]
        var page = ""
        page.reserveCapacity(rendered.page.fixedLength + quizHTML.utf8.count + sqlHTML.utf8.count + labsHTML.utf8.count + 256)
        rendered.page.fill(values, into: &page)
        return page
    }

    /// The topic's fragments, rendered on first use. The labs a topic lists are fixed for the life
    /// of the process, so the first request's rows serve every later one.
    private func fragments(for topic: Topic, stageTitle: String, canChangeState: Bool, labs: TopicLabsModel) -> Rendered {
        let key = Key(topicID: topic.id, canChangeState: canChangeState)
        if let cached = cache.withLock({ $0[key] }) { return cached }

        let slot = { (slot: PageSlot) in SlotTemplate.marker(slot.rawValue) }
        let signedIn = renderer.mode == .team && canChangeState
        let layout = PageRenderer.Layout(
            title: topic.title, csrfToken: slot(.csrfToken), teamMode: renderer.mode == .team,
            signedIn: signedIn, learnerEmail: signedIn ? slot(.email) : nil,
            reviewBadge: SlotTemplate.marker(Self.reviewBadgeSlot), nav: .init(path: "/topics/\(topic.id)"),
            flash: SlotTemplate.marker(Self.reviewBadgeSlot + 1)
        )
        let parts = TopicPageModel.LearnerParts(
            state: slot(.state), stateLabel: slot(.stateLabel),
            pressed: ProgressState.allCases.indices.map { SlotTemplate.marker(PageSlot.firstChoice.rawValue + $0) },
            quiz: slot(.quiz), sql: slot(.sql), labs: slot(.labs),
            noteText: slot(.noteText), noteHTML: slot(.noteHTML), noteSaved: slot(.noteSaved)
        )
        let neighbours = roadmap.neighbours(of: topic)
        let link = { (neighbour: Topic) in
            TopicPageModel.Neighbour(id: neighbour.id, title: neighbour.title, stageTitle: self.roadmap.stage(id: neighbour.stageID)?.title ?? "")
        }
        let model = TopicPageModel(
            topic: topic, stageTitle: stageTitle, canChangeState: canChangeState, learner: parts,
            previous: neighbours.previous.map(link), next: neighbours.next.map(link))
        let page = SlotTemplate(rendered: renderer.html("topic", layout: layout, content: model))

        var labBlocks: [Bool: SlotTemplate] = [:]
        if labs.hasLabs {
            let rows = labs.rows.enumerated().map { index, row in
                LabRow(
                    id: row.id, title: row.title, summary: row.summary,
                    result: .init(kind: SlotTemplate.marker(2 * index), label: SlotTemplate.marker(2 * index + 1)))
            }
            for verified in [false, true] {
                labBlocks[verified] = SlotTemplate(rendered: renderer.fragment("topic-labs", LabsBlock(verified: verified, rows: rows)))
            }
        }

        let made = Rendered(page: page, labs: labBlocks)
        cache.withLock { $0[key] = made }
        return made
    }

    // What the fragments are rendered from (Mustache reads stored properties).

    private struct QuizBlock {
        let topicID, questionCount: String
        let record, dueNote: String?
        let signInToSave: Bool
    }

    private struct SQLBlock {
        let hasSummary: Bool
        let summary, rows: String
    }

    private struct SQLRow {
        struct Status {
            let isNew: Bool
            let kind, label: String
        }

        let number, title: String
        let status: Status
    }

    private struct LabsBlock {
        let verified: Bool
        let rows: [LabRow]
    }

    private struct LabRow {
        struct Result {
            let kind, label: String
        }

        let id, title, summary: String
        let result: Result
    }
}
