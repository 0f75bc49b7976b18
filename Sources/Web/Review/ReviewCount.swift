import Curriculum
import Hummingbird
import Learning
import Storage

/// How many questions a learner has due for review, for the count in the navigation of every
/// page. Kept per learner until their answers change or the next question falls due, so a page
/// view costs a lookup, not a query.
struct ReviewCount: Sendable {
    private struct Entry: Sendable {
        let due: Int
        let validUntil: Int64?
    }

    let roadmap: Roadmap
    let quiz: any QuizRepository
    private let cache: KeyedCache<Entry>

    init(roadmap: Roadmap, quiz: any QuizRepository, notices: ChangeNotices) {
        self.roadmap = roadmap
        self.quiz = quiz
        cache = notices.learnerCache(CacheLimits(entries: 4096))
    }

    /// The questions `learner` has due at `now`; 0 for someone not signed in.
    func due(for learner: User?, now: Int64) async throws -> Int {
        guard let learner else { return 0 }
        let load: () async throws -> Entry = {
            let queue = try await ReviewQueue.load(quiz, learner: learner, roadmap: roadmap, now: now)
            return Entry(due: queue.due.count, validUntil: queue.nextDueAt)
        }
        var entry = try await cache.value(learner.id, load: load)
        if let validUntil = entry.validUntil, now >= validUntil {
            cache.invalidate(learner.id)
            entry = try await cache.value(learner.id, load: load)
        }
        return entry.due
    }

    /// The count as the navigation shows it after "Review": nothing when none is due.
    static func badge(_ due: Int) -> String {
        guard due > 0 else { return "" }
        let label = due == 1 ? "question due" : "questions due"
        return " <span class=\"count\">\(due)<span class=\"visually-hidden\"> \(label)</span></span>"
    }
}

/// Puts the signed-in learner's review count, the page's path and a one-time message (``Flash``)
/// in the context of every page request (not the API, not files), for the navigation.
struct NavigationMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let reviews: ReviewCount

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws
        -> Response
    {
        var context = context
        let path = request.uri.path
        context.pagePath = path
        if request.method == .get, context.learner != nil, !path.hasPrefix("/api/") {
            context.reviewsDue = (try? await reviews.due(for: context.learner, now: WallClock.nowSeconds())) ?? 0
        }
        guard request.method == .get, let name = request.cookies[Flash.cookieName]?.value else {
            return try await next(request, context)
        }
        context.flash = Flash(rawValue: name)?.message
        var response = try await next(request, context)
        response.setCookie(Flash.clearing)
        return response
    }
}
