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
        case csrfToken, email, done, total, skipped, percent, stages, continueCard
    }

    /// What one learner's page is made from, read only when it is not cached.
    struct LearnerPage {
        let roadmap: LearnerRoadmap
        let verified: Set<String>
        let card: ContinueCardModel
        /// When the page goes stale by the clock alone (a question falls due for review); nil: never.
        let validUntil: Int64?
    }

    /// A learner's page with the CSRF token's slot open, and until when it holds.
    private struct Filled: Sendable {
        let page: SlotTemplate
        let validUntil: Int64?
    }

    private enum StageSlot: Int, CaseIterable {
        case done, total, percent, topics
    }

    private let cards: [String: Cards]
    private let stageTemplates: [SlotTemplate]
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
                renderer.fragment("roadmap-topic", TopicCard(
                    id: topic.id, title: topic.title, summary: topic.summary,
                    state: state.rawValue, stateLabel: state.label, verified: verified
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
            SlotTemplate(rendered: renderer.fragment("roadmap-stage", StageHeader(
                id: stage.id, number: index + 1, title: stage.title, summary: stage.summary,
                done: marker(.done), total: marker(.total), percent: marker(.percent), topics: marker(.topics)
            )))
        }

        var pages: [Variant: SlotTemplate] = [:]
        let slot = { (slot: PageSlot) in SlotTemplate.marker(slot.rawValue) }
        for signedIn in [false, true] {
            for showSignInHint in [false, true] {
                for hasSkipped in [false, true] {
                    let layout = PageRenderer.Layout(
                        title: "Roadmap", csrfToken: slot(.csrfToken), teamMode: renderer.mode == .team,
                        signedIn: signedIn, learnerEmail: signedIn ? slot(.email) : nil
                    )
                    let page = PageContent(
                        showSignInHint: showSignInHint, hasSkipped: hasSkipped, done: slot(.done), total: slot(.total),
                        skipped: slot(.skipped), percent: slot(.percent), stages: slot(.stages), continueCard: slot(.continueCard)
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
    func response(for learner: User?, signedInEmail: String?, showSignInHint: Bool, csrfToken: String, now: Int64,
                  standing: () async throws -> LearnerPage) async throws -> Response {
        let key = learner?.id ?? ""
        func load() async throws -> Filled {
            let page = try await standing()
            return Filled(page: learnerPage(page, signedInEmail: signedInEmail, showSignInHint: showSignInHint), validUntil: page.validUntil)
        }
        var page = try await filled.value(key, load: load)
        if let validUntil = page.validUntil, now >= validUntil {
            filled.invalidate(key)
            page = try await filled.value(key, load: load)
        }
        return PageRenderer.htmlResponse(bytes: page.page.bytes([csrfToken.htmlEscaped]))
    }

    /// The page for one learner: their state of every topic, the topics they verified. The CSRF
    /// token's slot (0) is left open, to be filled per request; the rest is joined in and never
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
        let variant = Variant(signedIn: signedInEmail != nil, showSignInHint: showSignInHint, hasSkipped: overall.skipped > 0)
        let values: [String?] = [
            nil, signedInEmail?.htmlEscaped ?? "", String(overall.done), String(overall.total),
            String(overall.skipped), String(overall.percent), stages, renderer.fragment("roadmap-continue", page.card),
        ]
        return pages[variant]?.partiallyFilled(values) ?? SlotTemplate(rendered: "")
    }

    // What the fragments are rendered from (Mustache reads stored properties).

    private struct TopicCard {
        let id, title, summary, state, stateLabel: String
        let verified: Bool
    }

    private struct StageHeader {
        let id: String
        let number: Int
        let title, summary, done, total, percent, topics: String
    }

    private struct PageContent {
        let showSignInHint, hasSkipped: Bool
        let done, total, skipped, percent, stages, continueCard: String
    }
}
