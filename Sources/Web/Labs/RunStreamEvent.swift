import Foundation
import LabKit
import LabRunner

/// One server-sent event of a lab run, as a page receives it live: `stage` when a stage starts,
/// `step` when a step finishes, `stage-done` when a stage ends, and a final `done` (or `problem`
/// when the result could not be stored). `id` is the event's position, so a browser that
/// reconnects (sending `Last-Event-ID`) gets only what it missed.
struct RunStreamEvent: Sendable {
    let id: Int
    let name: String
    /// One line of JSON.
    let data: String

    /// The event in `text/event-stream` framing.
    var text: String { "id: \(id)\nevent: \(name)\ndata: \(data)\n\n" }

    struct StageStarted: Codable {
        let number: Int
        let count: Int
        let id: String
        let title: String
    }

    struct StepFinished: Codable {
        let stage: Int
        let step: StepVerdict
    }

    struct StageFinished: Codable {
        let number: Int
        let id: String
        let title: String
        let outcome: Outcome
        let hint: String
        let skipReason: String?
    }

    struct Done: Codable {
        let id: String
        let passed: Bool
        let stagesPassed: Int
        let stageCount: Int
        /// The page that shows the stored run in full.
        let result: String
    }

    struct Problem: Codable {
        let detail: String
    }

    /// The name and payload of a runner event (ids are given when it is published).
    static func payload(for event: RunEvent) -> (name: String, data: String) {
        switch event {
        case .stageStarted(let number, let count, let stage):
            ("stage", encode(StageStarted(number: number, count: count, id: stage.id, title: stage.title)))
        case .stepFinished(let stage, let step):
            ("step", encode(StepFinished(stage: stage, step: step)))
        case .stageFinished(let stage):
            (
                "stage-done",
                encode(
                    StageFinished(
                        number: stage.number, id: stage.id, title: stage.title, outcome: stage.outcome,
                        hint: stage.hint, skipReason: stage.skipReason))
            )
        }
    }

    /// The events a stored run would have sent live, in the same order and with the same ids, so
    /// a page that comes late (or reconnects after the run ended) sees the same stream.
    static func replay(_ verdict: LabVerdict, done: Done) -> [RunStreamEvent] {
        var payloads: [(name: String, data: String)] = []
        let count = verdict.stages.count
        for stage in verdict.stages
        where stage.outcome != .skipped || (stage.skipReason ?? LabRunner.earlierStageFailed) != LabRunner.earlierStageFailed {
            payloads.append(
                payload(
                    for: .stageStarted(
                        number: stage.number, count: count,
                        stage: LabStage(id: stage.id, title: stage.title, goal: "", hint: stage.hint, steps: []))))
            for step in stage.steps where step.outcome != .skipped {
                payloads.append(payload(for: .stepFinished(stage: stage.number, step: step)))
            }
            payloads.append(payload(for: .stageFinished(stage)))
        }
        payloads.append(("done", encode(done)))
        return payloads.enumerated().map { RunStreamEvent(id: $0.offset + 1, name: $0.element.name, data: $0.element.data) }
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
