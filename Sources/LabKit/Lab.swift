/// A lab: something the learner builds, checked stage by stage against their own running server.
///
/// Read from `Content/labs/<id>.yaml` (the checks) and `<id>.md` (the brief). Stages build on one
/// another: checking stage N runs stages 1…N-1 first, so a regression is caught where it happens.
public struct Lab: Sendable, Identifiable {
    public let id: String
    public let title: String
    public let summary: String
    /// Topic ids a passed run marks as verified.
    public let topics: [String]
    /// The brief in Markdown: what to build and how each stage is tested.
    public let brief: String
    /// Values drawn from the run's seed, by name, in the order written.
    public let randomValues: [(name: String, kind: RandomValue)]
    /// How long a step may take when it does not say; milliseconds.
    public let defaultTimeoutMS: Int
    /// Whom the lab's steps stand in for, unless a stage says otherwise (see ``Step/client``): a
    /// browser sends browser headers and follows redirects.
    public let client: LabClient
    /// The public test suite this lab agrees with (`freeCodeCamp`, `RealWorld`), if any: a server
    /// that passes that suite passes every check not marked `beyond` it.
    public let follows: String?
    public let stages: [LabStage]
    /// How hard the lab is for someone who has learned its topics; nil when the file does not say.
    public let difficulty: Difficulty?
    /// About how long building it takes, in minutes; nil when the file does not say.
    public let minutes: Int?
    /// What the lab checks: a server over HTTP, a git repository or a container setup.
    public let subject: LabSubject

    /// How hard a lab is, from the lab file's `difficulty:`; the labs page shows it and orders by it
    /// within a stage.
    public enum Difficulty: String, Sendable, CaseIterable, Comparable {
        case beginner, intermediate, advanced

        public static func < (lhs: Self, rhs: Self) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public init(
        id: String, title: String, summary: String, topics: [String], brief: String,
        randomValues: [(name: String, kind: RandomValue)], defaultTimeoutMS: Int,
        client: LabClient = .api, follows: String? = nil, stages: [LabStage],
        difficulty: Difficulty? = nil, minutes: Int? = nil, subject: LabSubject = .http
    ) {
        self.id = id
        self.title = title
        self.summary = summary
        self.topics = topics
        self.brief = brief
        self.randomValues = randomValues
        self.defaultTimeoutMS = defaultTimeoutMS
        self.client = client
        self.follows = follows
        self.stages = stages
        self.difficulty = difficulty
        self.minutes = minutes
        self.subject = subject
    }

    /// The stage with this 1-based number or id.
    public func stageNumber(for reference: String) -> Int? {
        if let number = Int(reference), stages.indices.contains(number - 1) { return number }
        return stages.firstIndex { $0.id == reference }.map { $0 + 1 }
    }

    /// Every random value drawn for `seed` (a date's other spellings included).
    public func bindings(seed: UInt64) -> Bindings {
        Bindings(Dictionary(randomValues.flatMap { $0.kind.values(name: $0.name, seed: seed) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// One stage of a lab: a feature the learner adds, with the steps that check it.
public struct LabStage: Sendable, Identifiable {
    public let id: String
    public let title: String
    /// What the learner builds in this stage, in a sentence or two.
    public let goal: String
    /// Shown next to a failure in this stage: the usual cause and where to look.
    public let hint: String
    /// The suite this whole stage is stricter than (see ``Lab/follows``); `nil` when the suite
    /// checks the same.
    public let beyond: String?
    public let steps: [Step]

    public init(id: String, title: String, goal: String, hint: String, beyond: String? = nil, steps: [Step]) {
        self.id = id
        self.title = title
        self.goal = goal
        self.hint = hint
        self.beyond = beyond
        self.steps = steps
    }
}

/// Whom a lab's requests stand in for. A grader that runs in a browser (freeCodeCamp's) sends what
/// every browser sends and follows redirects; a lab standing in for it must do the same, or it
/// fails servers that the browser serves well.
public enum LabClient: String, Sendable, CaseIterable {
    /// A program calling an API: only the headers a step sets, and redirects reported as they are.
    case api
    /// A browser: `Accept`, `Accept-Language` and a browser `User-Agent` on every request unless the
    /// step sets its own, and redirects followed unless the step says `follow_redirects: false`.
    case browser

    /// The headers a browser sends on a fetch, in the order it sends them.
    public static let browserHeaders: [(name: String, value: String)] = [
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,application/json;q=0.8,*/*;q=0.7"),
        ("Accept-Language", "en-US,en;q=0.9"),
        ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 groundwork-lab/1"),
    ]
}

extension LabStage {
    /// True when a step restarts the learner's server: only a run that started it can check this stage.
    public var restartsTarget: Bool {
        steps.contains { step in
            if case .probe(.restart) = step.action { return true }
            return false
        }
    }

    /// The report options (`--junit FILE`, `--coverage FILE`) this stage's checks read.
    public var reportOptions: [String] {
        steps.compactMap { step in
            if case .inspect(let inspection) = step.action { return inspection.kind.reportOption }
            return nil
        }
    }

    /// True when a step stops the learner's program to watch it shut down: only a run that started
    /// it (`--run`) can check this stage.
    public var stopsProgram: Bool {
        steps.contains { step in
            if case .inspect(let inspection) = step.action { return inspection.kind.needsProgram }
            return false
        }
    }
}
