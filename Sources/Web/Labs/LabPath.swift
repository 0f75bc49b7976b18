import Curriculum
import Foundation
import LabKit
import Learning

/// The labs in the order a learner meets them: by the roadmap position of the last topic each
/// verifies (a lab is ready once all its topics are learned, so HTTP basics comes first and the
/// clone last), then easier before harder, shorter before longer. The labs page lists them so, the
/// first is marked "start here", and the roadmap's continue card suggests the first one not passed.
struct LabPath: Sendable {
    let labs: [Lab]

    init(catalog: LabCatalog, roadmap: Roadmap) {
        let positions = roadmap.positions
        func place(_ lab: Lab) -> Int { lab.topics.compactMap { positions[$0] }.max() ?? Int.max }
        labs = catalog.labs.sorted { left, right in
            let (leftPlace, rightPlace) = (place(left), place(right))
            if leftPlace != rightPlace { return leftPlace < rightPlace }
            let (leftLevel, rightLevel) = (left.difficulty ?? .advanced, right.difficulty ?? .advanced)
            if leftLevel != rightLevel { return leftLevel < rightLevel }
            if (left.minutes ?? .max) != (right.minutes ?? .max) { return (left.minutes ?? .max) < (right.minutes ?? .max) }
            return left.title < right.title
        }
    }

    /// Where a newcomer starts: the first lab on the path.
    var startHere: Lab? { labs.first }

    /// The first lab on the path the learner has not passed yet; nil once every lab is passed.
    func next(best: [String: LabRun]) -> Lab? {
        labs.first { best[$0.id]?.passed != true }
    }
}

extension Lab {
    /// "Beginner · about 1 h", "about 45 min", nil when the file says neither.
    var effortLabel: String? {
        let parts = [difficulty.map { $0.rawValue.prefix(1).uppercased() + $0.rawValue.dropFirst() }, minutes.map(Self.duration)]
            .compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    private static func duration(_ minutes: Int) -> String {
        guard minutes >= 60 else { return "about \(minutes) min" }
        let hours = Double(minutes) / 60
        let text = hours == hours.rounded() ? String(Int(hours)) : String(format: "%.1f", hours)
        return "about \(text) h"
    }
}
