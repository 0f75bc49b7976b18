import Curriculum
import Foundation
import LabKit
import Learning
import Storage

/// A lab's best result as a short label and a style: passed, partly done, or not tried.
struct LabResultBadge {
    let label: String
    /// `passed`, `partial` or `untried`; also the badge's CSS class.
    let kind: String

    init(_ best: LabRun?) {
        switch best {
        case .some(let run) where run.passed:
            label = "Passed"
            kind = "passed"
        case .some(let run):
            label = "Best so far: \(run.stagesPassed) of \(run.stageCount) stages"
            kind = "partial"
        case .none:
            label = "Not run yet"
            kind = "untried"
        }
    }
}

/// A topic a lab verifies, with whether this learner has verified it; linked when the roadmap has it.
struct LabTopicLink {
    let id: String
    let title: String
    let inRoadmap: Bool
    let verified: Bool

    static func links(_ lab: Lab, roadmap: Roadmap, verified: Set<String>) -> [LabTopicLink] {
        lab.topics.map { id in
            let topic = roadmap.topic(id: id)
            return LabTopicLink(id: id, title: topic?.title ?? id, inRoadmap: topic != nil, verified: verified.contains(id))
        }
    }
}

/// Times as pages show them.
enum DisplayTime {
    static func format(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(Date.FormatStyle(date: .abbreviated, time: .shortened))
    }
}

/// What the labs page shows: every lab in learning order (see ``LabPath``), how hard and how long,
/// the topics it verifies, the learner's best result, and where to start.
struct LabsPageModel {
    struct LabRow {
        let id: String
        let title: String
        let summary: String
        let stageCount: Int
        /// "Beginner · about 1 h"; nil when the lab file says neither.
        let effort: String?
        let startHere: Bool
        let topics: [LabTopicLink]
        let result: LabResultBadge
        /// What to learn before the lab: what its topics require, outside the lab's own topics.
        let prerequisites: [Prerequisite]
        let hasPrerequisites: Bool
    }

    /// A topic (or a "pick one" group, linked to its first topic) to learn before a lab.
    struct Prerequisite {
        let title: String
        let href: String
        let done: Bool
    }

    let labs: [LabRow]
    let showSignInHint: Bool

    init(
        path: LabPath, roadmap: Roadmap, best: [String: LabRun], verified: Set<String>, states: [String: ProgressState] = [:],
        showSignInHint: Bool
    ) {
        let learner = LearnerRoadmap(roadmap: roadmap, states: states, verified: verified)
        labs = path.labs.map { lab in
            let prerequisites = Self.prerequisites(of: lab, roadmap: roadmap, learner: learner)
            return LabRow(
                id: lab.id, title: lab.title, summary: lab.summary, stageCount: lab.stages.count, effort: lab.effortLabel,
                startHere: lab.id == path.startHere?.id,
                topics: LabTopicLink.links(lab, roadmap: roadmap, verified: verified), result: LabResultBadge(best[lab.id]),
                prerequisites: prerequisites, hasPrerequisites: !prerequisites.isEmpty)
        }
        self.showSignInHint = showSignInHint
    }

    static func prerequisites(of lab: Lab, roadmap: Roadmap, learner: LearnerRoadmap) -> [Prerequisite] {
        let own = Set(lab.topics)
        let states = Dictionary(learner.stages.flatMap(\.topics).map { ($0.topic.id, $0.state) }, uniquingKeysWith: { first, _ in first })
        var seen = Set<String>()
        var found: [Prerequisite] = []
        for id in lab.topics.compactMap({ roadmap.topic(id: $0) }).flatMap(\.requires) where !own.contains(id) && seen.insert(id).inserted {
            if let topic = roadmap.topic(id: id) {
                found.append(Prerequisite(title: topic.title, href: "/topics/\(topic.id)", done: states[topic.id] == .done))
            } else if let group = roadmap.group(id: id), let first = group.topicIDs.first {
                found.append(
                    Prerequisite(
                        title: "one of: " + group.title.lowercased(), href: "/topics/\(first)",
                        done: learner.groupStates[group.id] == .done))
            }
        }
        return found
    }
}

/// What a lab page shows: the brief, how each stage is tested, the run form and the learner's runs.
struct LabPageModel {
    struct StageRow {
        let number: Int
        let id: String
        let title: String
        let goal: String
        let steps: [StepRow]
    }

    struct StepRow {
        let name: String
        let summary: String
    }

    /// A stage in the run panel's list, as the best run left it; the page's script updates it live.
    struct BoardRow {
        let number: Int
        let title: String
        /// `passed` or `open`; live: `waiting`, `running`, `passed`, `failed`, `skipped`.
        let state: String
        let mark: String
        let stateLabel: String
    }

    struct StageChoice {
        let value: String
        let label: String
        let selected: Bool
    }

    struct HistoryRow {
        let url: String
        let when: String
        let passed: Bool
        let outcome: String
        let stages: String
        let source: String
    }

    /// What the form shows: the learner's last input (nil: nothing typed yet), and what was wrong with it.
    struct Form {
        var target: String?
        var stage = ""
        var message: String?
    }

    let id: String
    let title: String
    let summary: String
    let topics: [LabTopicLink]
    let result: LabResultBadge
    let briefHTML: String
    let stages: [StageRow]
    let stageChoices: [StageChoice]
    /// Pre-filled with the learner's own machine in personal mode only: a team server refuses it.
    let target: String
    let targetPlaceholder: String
    /// What was wrong with the last submission, its `code` spans shown as code.
    let messageHTML: String?
    let canRun: Bool
    let teamMode: Bool
    /// The command that checks the learner's server from their own machine.
    let cliCommand: String
    /// False for a lab that checks a git repository or a container setup on the learner's
    /// machine: this server cannot read those, so the page shows the terminal command instead of
    /// the run form.
    let checksServer: Bool
    /// What a lab that checks no server reads, in a few words ("a git repository").
    let localSubject: String
    /// The stage that restarts the learner's server, which runs from this page skip: only a
    /// check that started the server can pass the lab.
    let restartStage: Int
    let hasRestartStage: Bool
    let restartCommand: String
    let history: [HistoryRow]
    let hasHistory: Bool
    let stageBoard: [BoardRow]
    let stageCount: Int
    let bestPassed: Int
    /// "Best so far: 2 of 6 stages passed", what the overall bar says.
    let bestLine: String
    /// "3 runs, the latest passed" (what the collapsed history says).
    let historySummary: String

    init(
        lab: Lab, catalog: LabCatalog, roadmap: Roadmap, history: [LabRun], best: LabRun?, verified: Set<String>,
        form: Form, canRun: Bool, teamMode: Bool
    ) {
        id = lab.id
        title = lab.title
        summary = lab.summary
        topics = LabTopicLink.links(lab, roadmap: roadmap, verified: verified)
        result = LabResultBadge(best)
        briefHTML = catalog.briefHTML(of: lab)
        stages = lab.stages.enumerated().map { index, stage in
            StageRow(
                number: index + 1, id: stage.id, title: stage.title, goal: stage.goal,
                steps: stage.steps.map { StepRow(name: $0.name, summary: $0.summary) })
        }
        let all = StageChoice(value: "", label: "All \(lab.stages.count) stages", selected: form.stage.isEmpty)
        stageChoices =
            [all]
            + lab.stages.enumerated().dropLast().map { index, stage in
                StageChoice(
                    value: String(index + 1), label: index == 0 ? "Stage 1 only: \(stage.title)" : "Stages 1–\(index + 1), up to: \(stage.title)",
                    selected: form.stage == String(index + 1))
            }
        target = form.target ?? (teamMode ? "" : RunTarget.defaultURL)
        targetPlaceholder = teamMode ? "https://your-server.example.org" : RunTarget.defaultURL
        messageHTML = form.message.map(InlineCode.html)
        self.canRun = canRun
        self.teamMode = teamMode
        checksServer = lab.subject == .http
        switch lab.subject {
        case .http:
            cliCommand = "groundwork check \(lab.id) --target \(RunTarget.defaultURL)" + (teamMode ? " --upload" : "")
            localSubject = "your server"
        case .git:
            cliCommand = "groundwork check \(lab.id) --repo PATH" + (teamMode ? " --upload" : "")
            localSubject = "a git repository on your machine"
        case .container:
            cliCommand = "groundwork check \(lab.id) --dir PATH --run \"COMMAND\" --port 3000" + (teamMode ? " --upload" : "")
            localSubject = "a Dockerfile on your machine, and how the server it runs shuts down"
        case .tests:
            cliCommand = "groundwork check \(lab.id) --tests \"COMMAND\"" + (teamMode ? " --upload" : "")
            localSubject = "the test suite on your machine"
        }
        let restartIndex = lab.stages.firstIndex { $0.restartsTarget }
        restartStage = (restartIndex ?? 0) + 1
        hasRestartStage = restartIndex != nil
        restartCommand = Self.restartCommand(lab)
        self.history = history.map { run in
            HistoryRow(
                url: run.resultPath, when: DisplayTime.format(run.finishedAt), passed: run.passed,
                outcome: run.passed ? "Passed" : "Not passed", stages: "\(run.stagesPassed) of \(run.stageCount) stages",
                source: run.source == .web ? "run from this page" : "uploaded from the CLI: run on your machine, not by this server")
        }
        hasHistory = !history.isEmpty
        let passedStages = best?.stagesPassed ?? 0
        stageCount = lab.stages.count
        bestPassed = passedStages
        bestLine =
            best?.passed == true
            ? "Passed: all \(lab.stages.count) stages"
            : best == nil
                ? "Not run yet: 0 of \(lab.stages.count) stages passed"
                : "Best so far: \(passedStages) of \(lab.stages.count) stages passed"
        stageBoard = lab.stages.enumerated().map { index, stage in
            let passed = index < passedStages
            return BoardRow(
                number: index + 1, title: stage.title, state: passed ? "passed" : "open", mark: passed ? "✓" : "○",
                stateLabel: passed ? "passed" : "not passed yet")
        }
        let latest = history.first.map { $0.passed ? "the latest passed" : "the latest passed \($0.stagesPassed) of \($0.stageCount) stages" }
        historySummary = "\(history.count) run\(history.count == 1 ? "" : "s")" + (latest.map { ", " + $0 } ?? "") + " — show them"
    }

    /// The check that starts the learner's server itself, so it may restart it, and uploads the result.
    static func restartCommand(_ lab: Lab) -> String {
        "groundwork check \(lab.id) --run \"COMMAND\" --port 3000 --upload"
    }
}
