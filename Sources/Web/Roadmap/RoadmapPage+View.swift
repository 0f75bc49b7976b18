import Curriculum
import Hummingbird
import Learning
import Storage

/// The roadmap page, the page every learner opens first and most often. It is assembled per
/// request from fragments rendered once at start-up (see ``SlotTemplate``): a card per topic for
/// each state it can show, a header per stage, and the page around them for each way it can look.
/// The templates (`roadmap`, `roadmap-stage`, `roadmap-topic`, `roadmap-continue`) still hold all
/// the markup.
struct RoadmapPageView: Sendable {
    /// One topic's card, for every state, without and with the "verified" badge.
    private struct Cards: Sendable {
        let plain: [ProgressState: String]
        let verified: [ProgressState: String]
    }

    /// What makes one rendering of the whole page differ from another, besides slot values.
    private struct Variant: Hashable, Sendable {
        let signedIn: Bool
        let showSignInHint: Bool
        let hasSkipped: Bool
    }

    /// Slots of the page: filled with escaped text per request.
    private enum PageSlot: Int, CaseIterable {
        case csrfToken, email, done, total, skipped, percent, stages, continueCard, diagram, timeLeft, reviewBadge, flash, activity
    }

    /// What one learner's page is made from, read only when it is not cached.
    struct LearnerPage {
        let roadmap: LearnerRoadmap
        let verified: Set<String>
        let card: ContinueCardModel
        /// The learner's year of activity; nil for a visitor not signed in.
        let activity: ActivityCalendar?
        /// When the page goes stale by the clock alone (a question falls due for review); nil: never.
        let validUntil: Int64?
    }

    /// A learner's page with the CSRF token's slot open, and until when it holds.
    private struct Filled: Sendable {
        let page: SlotTemplate
        /// The same page gzipped once, for clients that accept it.
        let gzipped: GzipTemplate
        let validUntil: Int64?
    }

    private enum StageSlot: Int, CaseIterable {
        case done, total, percent, topics
    }

    private let cards: [String: Cards]
    private let stageTemplates: [SlotTemplate]
    let diagram: RoadmapDiagram
    /// The diagram's section (slots: the time left, the stages) and each stage's figure (slots:
    /// percent done, the wide drawing, the narrow drawing).
    private let diagramFrame: SlotTemplate
    private let diagramStages: [SlotTemplate]
    private let pages: [Variant: SlotTemplate]
    /// Each learner's whole page (key "" for visitors not signed in) with the CSRF token left
    /// open, until the learner's progress or lab results change.
    private let filled: KeyedCache<Filled>
    private let renderer: PageRenderer

    init(roadmap: Roadmap, pages renderer: PageRenderer, notices: ChangeNotices) {
        self.renderer = renderer
        filled = notices.learnerCache(CacheLimits(entries: 512))
        var cards: [String: Cards] = [:]
        for topic in roadmap.topics {
            func card(_ state: ProgressState, verified: Bool) -> String {
                renderer.fragment(
                    "roadmap-topic",
                    TopicCard(
                        id: topic.id, title: topic.title, summary: topic.summary,
                        state: state.rawValue, stateLabel: state.label, verified: verified,
                        group: roadmap.group(of: topic.id)?.title
                    ))
            }
            cards[topic.id] = Cards(
                plain: Dictionary(uniqueKeysWithValues: ProgressState.allCases.map { ($0, card($0, verified: false)) }),
                verified: Dictionary(uniqueKeysWithValues: ProgressState.allCases.map { ($0, card($0, verified: true)) })
            )
        }
        self.cards = cards

        let marker = { (slot: StageSlot) in SlotTemplate.marker(slot.rawValue) }
        stageTemplates = roadmap.stages.enumerated().map { index, stage in
            SlotTemplate(
                rendered: renderer.fragment(
                    "roadmap-stage",
                    StageHeader(
                        id: stage.id, number: index + 1, title: stage.title, summary: stage.summary,
                        done: marker(.done), total: marker(.total), percent: marker(.percent), topics: marker(.topics)
                    )))
        }

        let diagram = RoadmapDiagram(roadmap: roadmap)
        self.diagram = diagram
        diagramStages = roadmap.stages.enumerated().map { index, stage in
            let (wide, narrow) = (diagram.wide[index], diagram.narrow[index])
            return SlotTemplate(
                rendered: renderer.fragment(
                    "roadmap-diagram-stage",
                    DiagramStage(
                        number: index + 1, title: stage.title, percent: SlotTemplate.marker(0),
                        wide: SlotTemplate.marker(1), wideWidth: wide.width, wideHeight: wide.height,
                        narrow: SlotTemplate.marker(2), narrowWidth: narrow.width, narrowHeight: narrow.height
                    )))
        }
        diagramFrame = SlotTemplate(
            rendered: renderer.fragment(
                "roadmap-diagram",
                DiagramFrame(
                    timeLeft: SlotTemplate.marker(0), stages: SlotTemplate.marker(1),
                    looks: RoadmapDiagram.Look.allCases.map { DiagramLook(key: $0.rawValue, label: $0.legend, icon: RoadmapDiagram.icon($0)) }
                )))

        var pages: [Variant: SlotTemplate] = [:]
        let slot = { (slot: PageSlot) in SlotTemplate.marker(slot.rawValue) }
        for signedIn in [false, true] {
            for showSignInHint in [false, true] {
                for hasSkipped in [false, true] {
                    let layout = PageRenderer.Layout(
                        title: "Roadmap", csrfToken: slot(.csrfToken), teamMode: renderer.mode == .team,
                        signedIn: signedIn, learnerEmail: signedIn ? slot(.email) : nil,
                        reviewBadge: slot(.reviewBadge), nav: .init(path: "/"), flash: slot(.flash)
                    )
                    let page = PageContent(
                        showSignInHint: showSignInHint, hasSkipped: hasSkipped, done: slot(.done), total: slot(.total),
                        skipped: slot(.skipped), percent: slot(.percent), stages: slot(.stages), continueCard: slot(.continueCard),
                        diagram: slot(.diagram), timeLeft: slot(.timeLeft), activity: slot(.activity)
                    )
                    pages[Variant(signedIn: signedIn, showSignInHint: showSignInHint, hasSkipped: hasSkipped)] =
                        SlotTemplate(rendered: renderer.html("roadmap", layout: layout, content: page))
                }
            }
        }
        self.pages = pages
    }

    /// The page for `learner` (nil: a visitor not signed in) at `now`. `standing` reads what the page
    /// shows; it runs only when the learner's page is not cached, or the cached one went stale at
    /// its `validUntil`.
    func response(
        for learner: User?, signedInEmail: String?, showSignInHint: Bool, csrfToken: String, flash: String?, gzip: Bool, now: Int64,
        standing: () async throws -> LearnerPage
    ) async throws -> Response {
        let key = learner?.id ?? ""
        func load() async throws -> Filled {
            let page = try await standing()
            let filled = learnerPage(page, signedInEmail: signedInEmail, showSignInHint: showSignInHint)
            return Filled(page: filled, gzipped: GzipTemplate(filled), validUntil: page.validUntil)
        }
        var page = try await filled.value(key, load: load)
        if let validUntil = page.validUntil, now >= validUntil {
            filled.invalidate(key)
            page = try await filled.value(key, load: load)
        }
        var values = [String](repeating: "", count: PageSlot.allCases.count)
        values[PageSlot.csrfToken.rawValue] = csrfToken.htmlEscaped
        values[PageSlot.flash.rawValue] = Flash.html(flash)
        guard gzip else { return PageRenderer.htmlResponse(bytes: page.page.bytes(values)) }
        var response = PageRenderer.htmlResponse(bytes: page.gzipped.bytes(values))
        response.headers[.contentEncoding] = "gzip"
        return response
    }

    /// The page for one learner: their state of every topic, the topics they verified. The CSRF
    /// token's slot (0) and the one-time message's are left open, to be filled per request; the rest is joined in and never
    /// parsed again, so nothing the learner typed (their email) can be read as a slot.
    private func learnerPage(_ page: LearnerPage, signedInEmail: String?, showSignInHint: Bool) -> SlotTemplate {
        let (roadmap, verified) = (page.roadmap, page.verified)
        var stages = ""
        stages.reserveCapacity(64 * 1024)
        for (entry, template) in zip(roadmap.stages, stageTemplates) {
            var topics = ""
            for topic in entry.topics {
                let card = cards[topic.topic.id]
                topics += (verified.contains(topic.topic.id) ? card?.verified : card?.plain)?[topic.state] ?? ""
            }
            template.fill([String(entry.counts.done), String(entry.counts.total), String(entry.counts.percent), topics], into: &stages)
        }
        let overall = roadmap.overall
        let timeLeft = roadmap.timeLeftLabel.map { "Time left: \($0)." } ?? "Nothing left to learn."
        let variant = Variant(signedIn: signedInEmail != nil, showSignInHint: showSignInHint, hasSkipped: overall.skipped > 0)
        let values: [String?] = [
            nil, signedInEmail?.htmlEscaped ?? "", String(overall.done), String(overall.total),
            String(overall.skipped), String(overall.percent), stages, renderer.fragment("roadmap-continue", page.card),
            diagramHTML(roadmap, verified: verified, timeLeft: timeLeft), timeLeft.htmlEscaped, ReviewCount.badge(page.card.dueCount), nil,
            page.activity.map(ActivityCalendarView.html) ?? "",
        ]
        return pages[variant]?.partiallyFilled(values) ?? SlotTemplate(rendered: "")
    }

    /// The diagram section for one learner: every stage's figure with their states put in.
    func diagramHTML(_ roadmap: LearnerRoadmap, verified: Set<String>, timeLeft: String) -> String {
        var figures = ""
        figures.reserveCapacity(96 * 1024)
        for (index, template) in diagramStages.enumerated() {
            let values = diagram.values(stage: index, learner: roadmap, verified: verified)
            var wide = ""
            diagram.wide[index].body.fill(values, into: &wide)
            var narrow = ""
            diagram.narrow[index].body.fill(values, into: &narrow)
            template.fill([String(roadmap.stages[index].counts.percent), wide, narrow], into: &figures)
        }
        var html = ""
        diagramFrame.fill([timeLeft.htmlEscaped, figures], into: &html)
        return html
    }

    // What the fragments are rendered from (Mustache reads stored properties).

    private struct TopicCard {
        let id, title, summary, state, stateLabel: String
        let verified: Bool
        /// The "pick one" group the topic belongs to, if any.
        let group: String?
    }

    private struct StageHeader {
        let id: String
        let number: Int
        let title, summary, done, total, percent, topics: String
    }

    private struct PageContent {
        let showSignInHint, hasSkipped: Bool
        let done, total, skipped, percent, stages, continueCard, diagram, timeLeft, activity: String
    }

    private struct DiagramStage {
        let number: Int
        let title, percent, wide: String
        let wideWidth, wideHeight: Int
        let narrow: String
        let narrowWidth, narrowHeight: Int
    }

    private struct DiagramLook {
        let key, label, icon: String
    }

    private struct DiagramFrame {
        let timeLeft, stages: String
        let looks: [DiagramLook]
    }
}
