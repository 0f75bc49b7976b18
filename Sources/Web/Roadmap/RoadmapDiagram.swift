import Curriculum
import Learning

/// The roadmap drawn as SVG on the server (no script needed): a drawing per stage, topics as nodes
/// in rows by how deep their requirements go, arrows from what to learn first, "pick one" groups
/// framed. Everything but the learner's states is drawn once at start-up; a learner's diagram is
/// the stage drawings with a node fragment per topic (one per state, also drawn once) put in.
///
/// Each stage is drawn twice: wide (five nodes a row) for a desktop, narrow (two a row) for a
/// phone; the page's CSS shows one, so a phone never scrolls sideways and its text stays legible.
struct RoadmapDiagram: Sendable {
    /// How a node looks: a topic's state, or done and verified by a passed lab.
    enum Look: String, CaseIterable, Sendable {
        case todo, learning, done, skipped, verified

        init(_ state: ProgressState, verified: Bool) {
            switch state {
            case .todo: self = .todo
            case .learning: self = .learning
            case .done: self = verified ? .verified : .done
            case .skipped: self = .skipped
            }
        }

        /// What the legend says.
        var legend: String {
            switch self {
            case .todo: "To do"
            case .learning: "Learning"
            case .done: "Done"
            case .skipped: "Skipped"
            case .verified: "Verified: a lab you passed checks it"
            }
        }

        var label: String {
            switch self {
            case .todo: "to do"
            case .learning: "learning"
            case .done: "done"
            case .skipped: "skipped"
            case .verified: "done and verified by a lab"
            }
        }
    }

    struct Geometry: Sendable {
        let columns: Int
        let nodeWidth: Int
        let nodeHeight = 52
        let columnGap: Int
        let rowGap = 36
        let margin = 8
        /// Room above a row for the label of a group frame.
        let groupLabel = 22
        /// Characters of a title on one line of a node.
        let lineLength: Int

        static let wide = Geometry(columns: 5, nodeWidth: 180, columnGap: 17, lineLength: 19)
        static let narrow = Geometry(columns: 2, nodeWidth: 180, columnGap: 12, lineLength: 19)

        var width: Int { margin * 2 + columns * nodeWidth + (columns - 1) * columnGap }
    }

    /// One stage drawn in one geometry: the drawing with a slot per topic (its index in the stage)
    /// and per group (after the topics), and its size.
    struct StageDrawing: Sendable {
        let body: SlotTemplate
        let width: Int
        let height: Int
    }

    /// Per stage, its wide and narrow drawings.
    let wide: [StageDrawing]
    let narrow: [StageDrawing]
    /// Per topic id, a node fragment for every look (drawn at 0,0; the drawing places it).
    private let nodes: [String: [Look: String]]
    /// Per group id, its frame's label for every state.
    private let groupLabels: [String: [ProgressState: String]]
    /// Per stage, the ids of its topics then of its groups: what fills the slots, in order.
    private let slotIDs: [[String]]
    private let groupCounts: [Int]

    init(roadmap: Roadmap) {
        var nodes: [String: [Look: String]] = [:]
        for topic in roadmap.topics {
            let needs = topic.requires.compactMap { roadmap.topic(id: $0)?.title ?? roadmap.group(id: $0).map { "one of: " + $0.title.lowercased() } }
            nodes[topic.id] = Dictionary(
                uniqueKeysWithValues: Look.allCases.map { look in
                    (look, Self.node(topic, look: look, needs: needs, geometry: .wide))
                })
        }
        self.nodes = nodes
        var labels: [String: [ProgressState: String]] = [:]
        for group in roadmap.groups {
            labels[group.id] = Dictionary(
                uniqueKeysWithValues: ProgressState.allCases.map { state in
                    let suffix = state == .todo ? "" : " · \(state == .done ? "done ✓" : state.label.lowercased())"
                    return (state, "<text class=\"group-label\" x=\"0\" y=\"-7\">Pick one: \((group.title + suffix).htmlEscaped)</text>")
                })
        }
        groupLabels = labels
        var slotIDs: [[String]] = []
        var groupCounts: [Int] = []
        var wide: [StageDrawing] = []
        var narrow: [StageDrawing] = []
        for stage in roadmap.stages {
            let layout = StageLayout(stage: stage, roadmap: roadmap)
            slotIDs.append(stage.topics.map(\.id) + layout.groups.map(\.id))
            groupCounts.append(layout.groups.count)
            wide.append(layout.draw(.wide))
            narrow.append(layout.draw(.narrow))
        }
        self.slotIDs = slotIDs
        self.groupCounts = groupCounts
        self.wide = wide
        self.narrow = narrow
    }

    /// What fills stage `index`'s slots for a learner.
    func values(stage index: Int, learner: LearnerRoadmap, verified: Set<String>) -> [String] {
        let entry = learner.stages[index]
        let topicCount = entry.topics.count
        var values: [String] = []
        values.reserveCapacity(slotIDs[index].count)
        for topic in entry.topics {
            let look = Look(topic.state, verified: verified.contains(topic.topic.id))
            values.append(nodes[topic.topic.id]?[look] ?? "")
        }
        for id in slotIDs[index].dropFirst(topicCount) {
            values.append(groupLabels[id]?[learner.groupStates[id] ?? .todo] ?? "")
        }
        return values
    }

    /// The whole diagram as one SVG file to download: the wide drawings stacked, with their own
    /// styles (a file outside the page has no stylesheet) and a legend line.
    func standalone(learner: LearnerRoadmap, verified: Set<String>, timeLeft: String) -> String {
        let width = Geometry.wide.width
        var body = ""
        var y = 40
        for (index, entry) in learner.stages.enumerated() {
            let drawing = wide[index]
            let caption = "\(index + 1). \(entry.stage.title) · \(entry.counts.percent)% done"
            body += "<text class=\"stage\" x=\"8\" y=\"\(y + 16)\">\(caption.htmlEscaped)</text>"
            body += "<g transform=\"translate(0 \(y + 28))\">"
            drawing.body.fill(values(stage: index, learner: learner, verified: verified), into: &body)
            body += "</g>"
            y += 28 + drawing.height + 16
        }
        let legend = Look.allCases.enumerated().map { index, look in
            "<g class=\"node s-\(look.rawValue)\" transform=\"translate(\(8 + index * 190) \(y))\">\(Self.icon(look))<text x=\"22\" y=\"12\">\(look.legend.htmlEscaped)</text></g>"
        }.joined()
        let height = y + 30
        let title = "Groundwork: your path through the backend roadmap. \(timeLeft)"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" class="diagram">\
            <title>\(title.htmlEscaped)</title><style>\(Self.standaloneStyle)</style>\
            <rect class="page" width="100%" height="100%"/><text class="heading" x="8" y="24">\(title.htmlEscaped)</text>\
            \(body)\(legend)</svg>

            """
    }

    /// The page's diagram styles with the light theme's colours written out.
    static let standaloneStyle = """
        .page{fill:#fbfbf8}text{font-family:system-ui,sans-serif;fill:#1d1f21}.heading{font-size:15px;font-weight:600}\
        .stage{font-size:14px;font-weight:600}.node rect{fill:#fff;stroke:#6b7280;stroke-width:1.5}.node text{font-size:13px}\
        .s-todo{color:#6b7280}.s-learning{color:#a16207}.s-done,.s-verified{color:#15803d}.s-skipped{color:#7c3aed}\
        .node.s-learning rect{stroke:#a16207;stroke-width:2.5}.node.s-done rect,.node.s-verified rect{stroke:#15803d;stroke-width:2.5}\
        .node.s-verified rect{fill:#e7f6ec}.node.s-skipped rect{stroke:#7c3aed;stroke-dasharray:5 4}.node.s-skipped text{fill:#5b6168}\
        .ic{fill:none;stroke:currentColor;stroke-width:1.6}.ic-fill{fill:currentColor}\
        .ic-mark{fill:none;stroke:#fff;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}\
        .edges path{fill:none;stroke:#5b6168;stroke-width:1.4}.edges path.head{fill:#5b6168;stroke:none}\
        .group .frame{fill:none;stroke:#5b6168;stroke-width:1.3;stroke-dasharray:6 4}.group-label{fill:#5b6168;font-size:12px;font-weight:600}
        """

    // MARK: drawing

    /// A topic's node: a link with its title, an icon and the look's class; the label names the
    /// state in words, so colour is never the only sign.
    static func node(_ topic: Topic, look: Look, needs: [String], geometry: Geometry) -> String {
        let lines = wrap(topic.title, to: geometry.lineLength)
        let name = "\(topic.title): \(look.label)"
        let tip = needs.isEmpty ? name : "\(name). Learn first: \(needs.joined(separator: ", "))"
        var svg = "<a href=\"/topics/\(topic.id)\" class=\"node s-\(look.rawValue)\" aria-label=\"\(name.htmlEscaped)\">"
        svg += "<title>\(tip.htmlEscaped)</title>"
        svg += "<rect width=\"\(geometry.nodeWidth)\" height=\"\(geometry.nodeHeight)\" rx=\"8\"/>"
        svg += "<g transform=\"translate(10 \(geometry.nodeHeight / 2 - 8))\">\(icon(look))</g>"
        let firstBaseline = lines.count == 1 ? geometry.nodeHeight / 2 + 5 : geometry.nodeHeight / 2 - 3
        svg += "<text x=\"34\" y=\"\(firstBaseline)\">"
        for (index, line) in lines.enumerated() {
            svg += index == 0 ? "<tspan>\(line.htmlEscaped)</tspan>" : "<tspan x=\"34\" dy=\"16\">\(line.htmlEscaped)</tspan>"
        }
        svg += "</text></a>"
        return svg
    }

    /// A 16×16 icon per look: an empty ring, a half-filled ring, a tick, a dash, a shield.
    static func icon(_ look: Look) -> String {
        switch look {
        case .todo: "<circle class=\"ic\" cx=\"8\" cy=\"8\" r=\"6.5\"/>"
        case .learning: "<circle class=\"ic\" cx=\"8\" cy=\"8\" r=\"6.5\"/><path class=\"ic-fill\" d=\"M8 1.5a6.5 6.5 0 0 1 0 13z\"/>"
        case .done: "<circle class=\"ic-fill\" cx=\"8\" cy=\"8\" r=\"7.5\"/><path class=\"ic-mark\" d=\"M4.5 8.3l2.4 2.4 4.6-4.9\"/>"
        case .skipped: "<circle class=\"ic\" cx=\"8\" cy=\"8\" r=\"6.5\"/><path class=\"ic\" d=\"M4.5 8h7\"/>"
        case .verified:
            "<path class=\"ic-fill\" d=\"M8 .5l6.5 2.5v4.7c0 3.8-2.7 6.5-6.5 7.8C4.2 14.2 1.5 11.5 1.5 7.7V3z\"/><path class=\"ic-mark\" d=\"M4.8 8l2.2 2.2 4.2-4.5\"/>"
        }
    }

    /// The title in at most two lines of `length` characters, the second cut with "…" if needed.
    static func wrap(_ title: String, to length: Int) -> [String] {
        var lines: [String] = [""]
        for word in title.split(separator: " ") {
            let candidate = lines[lines.count - 1].isEmpty ? String(word) : lines[lines.count - 1] + " " + word
            if candidate.count <= length || lines[lines.count - 1].isEmpty {
                lines[lines.count - 1] = candidate
            } else {
                lines.append(String(word))
            }
        }
        guard lines.count > 2 else { return lines }
        let second = lines[1...].joined(separator: " ")
        return [lines[0], String(second.prefix(length - 1)) + "…"]
    }
}

/// Where a stage's topics go: each topic (or whole group) in a row below everything it requires
/// within the stage; requirements of earlier stages are met by going stage by stage.
struct StageLayout {
    /// A topic outside any group, or a group with its topics.
    struct Unit {
        let id: String
        let topicIndices: [Int]
        let isGroup: Bool
        var requires: Set<Int> = []
        var level = 0
    }

    let stage: Stage
    let units: [Unit]
    let groups: [TopicGroup]
    private let unitOfTopic: [Int]

    init(stage: Stage, roadmap: Roadmap) {
        self.stage = stage
        var units: [Unit] = []
        var unitOfGroup: [String: Int] = [:]
        var unitOfTopic: [Int] = []
        var groups: [TopicGroup] = []
        for (index, topic) in stage.topics.enumerated() {
            if let group = roadmap.group(of: topic.id) {
                if let unit = unitOfGroup[group.id] {
                    units[unit] = Unit(id: group.id, topicIndices: units[unit].topicIndices + [index], isGroup: true)
                    unitOfTopic.append(unit)
                } else {
                    unitOfGroup[group.id] = units.count
                    unitOfTopic.append(units.count)
                    units.append(Unit(id: group.id, topicIndices: [index], isGroup: true))
                    groups.append(group)
                }
            } else {
                unitOfTopic.append(units.count)
                units.append(Unit(id: topic.id, topicIndices: [index], isGroup: false))
            }
        }
        let topicIndex = Dictionary(stage.topics.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, topic) in stage.topics.enumerated() {
            let unit = unitOfTopic[index]
            for required in topic.requires {
                let source = topicIndex[required].map { unitOfTopic[$0] } ?? unitOfGroup[required]
                if let source, source != unit { units[unit].requires.insert(source) }
            }
        }
        // Levels, in topological order (the content checker refuses circles; a guard stops anyway).
        for _ in 0..<units.count {
            var changed = false
            for index in units.indices {
                let level = units[index].requires.map { units[$0].level + 1 }.max() ?? 0
                if level != units[index].level, level < units.count {
                    units[index].level = level
                    changed = true
                }
            }
            if !changed { break }
        }
        self.units = units
        self.groups = groups
        self.unitOfTopic = unitOfTopic
    }

    /// The stage's drawing in `geometry`: arrows first, then group frames, then nodes.
    func draw(_ geometry: RoadmapDiagram.Geometry) -> RoadmapDiagram.StageDrawing {
        let g = geometry
        var topicOrigin = [(x: Int, y: Int)](repeating: (0, 0), count: stage.topics.count)
        var unitBox = [(x: Int, y: Int, width: Int, height: Int)](repeating: (0, 0, 0, 0), count: units.count)
        var y = g.margin
        let levels = Set(units.map(\.level)).sorted()
        for level in levels {
            var column = 0
            var lineRows = 0
            var lineHasGroup = false
            var line: [(unit: Int, column: Int)] = []
            func placeLine() {
                guard !line.isEmpty else { return }
                let top = y + (lineHasGroup ? g.groupLabel : 0)
                for (unit, firstColumn) in line {
                    let members = units[unit].topicIndices
                    let span = min(members.count, g.columns)
                    for (offset, topic) in members.enumerated() {
                        let col = firstColumn + offset % span
                        let row = offset / span
                        topicOrigin[topic] = (g.margin + col * (g.nodeWidth + g.columnGap), top + row * (g.nodeHeight + g.rowGap / 2))
                    }
                    let rows = (members.count + span - 1) / span
                    unitBox[unit] = (
                        g.margin + firstColumn * (g.nodeWidth + g.columnGap), top,
                        span * g.nodeWidth + (span - 1) * g.columnGap, rows * g.nodeHeight + (rows - 1) * (g.rowGap / 2)
                    )
                }
                y = top + lineRows * g.nodeHeight + (lineRows - 1) * (g.rowGap / 2) + g.rowGap
                line = []
                column = 0
                lineRows = 0
                lineHasGroup = false
            }
            // Each unit under the middle of what it requires (placed in earlier rows), so arrows
            // run short and cross less; the roadmap's order breaks ties and orders the first row.
            func middle(_ index: Int) -> Double {
                let sources = units[index].requires.map { Double(unitBox[$0].x) + Double(unitBox[$0].width) / 2 }
                return sources.isEmpty ? Double(index) : sources.reduce(0, +) / Double(sources.count)
            }
            let ordered = units.indices.filter { units[$0].level == level }
                .map { (index: $0, middle: level == levels.first ? Double($0) : middle($0)) }
                .sorted { ($0.middle, $0.index) < ($1.middle, $1.index) }
            for index in ordered.map(\.index) {
                let unit = units[index]
                let span = min(unit.topicIndices.count, g.columns)
                if column + span > g.columns { placeLine() }
                line.append((index, column))
                column += span
                lineRows = max(lineRows, (unit.topicIndices.count + span - 1) / span)
                lineHasGroup = lineHasGroup || unit.isGroup
            }
            placeLine()
        }
        let height = y - g.rowGap + g.margin + 4

        var svg = ""
        // Arrows from what to learn first to what builds on it.
        var edges = ""
        for (index, unit) in units.enumerated() {
            for source in unit.requires.sorted() {
                let from = unitBox[source]
                let to = unitBox[index]
                let (sx, sy) = (from.x + from.width / 2, from.y + from.height + (units[source].isGroup ? 5 : 0))
                let (tx, ty) = (to.x + to.width / 2, to.y - (unit.isGroup ? g.groupLabel - 2 : 0) - 3)
                if ty - sy <= g.rowGap + g.groupLabel + 8 {
                    // The next row: a curve straight down.
                    let bend = max((ty - sy) / 2, 10)
                    edges += "<path d=\"M\(sx) \(sy)C\(sx) \(sy + bend) \(tx) \(ty - bend) \(tx) \(ty)\"/>"
                } else {
                    // Rows in between: down the gap between columns nearest the way, so the arrow
                    // never passes behind a node and seems to start there.
                    let gaps = (1..<g.columns).map { g.margin + $0 * (g.nodeWidth + g.columnGap) - g.columnGap / 2 }
                    let gx = gaps.min { abs($0 - (sx + tx) / 2) < abs($1 - (sx + tx) / 2) } ?? sx
                    let (down, up) = (sy + 9, ty - 12)
                    edges += "<path d=\"M\(sx) \(sy)V\(down)H\(gx)V\(up)H\(tx)V\(ty)\"/>"
                }
                edges += "<path class=\"head\" d=\"M\(tx - 4) \(ty - 7)L\(tx) \(ty)L\(tx + 4) \(ty - 7)z\"/>"
            }
        }
        svg += "<g class=\"edges\">\(edges)</g>"
        let topicCount = stage.topics.count
        for (groupIndex, group) in groups.enumerated() {
            guard let unit = units.firstIndex(where: { $0.isGroup && $0.id == group.id }) else { continue }
            let box = unitBox[unit]
            svg += "<g class=\"group\" transform=\"translate(\(box.x) \(box.y))\">"
            svg +=
                "<rect class=\"frame\" x=\"-5\" y=\"-\(g.groupLabel - 2)\" width=\"\(box.width + 10)\" height=\"\(box.height + g.groupLabel + 3)\" rx=\"10\"/>"
            svg += SlotTemplate.marker(topicCount + groupIndex) + "</g>"
        }
        for (index, origin) in topicOrigin.enumerated() {
            svg += "<g transform=\"translate(\(origin.x) \(origin.y))\">\(SlotTemplate.marker(index))</g>"
        }
        return RoadmapDiagram.StageDrawing(body: SlotTemplate(rendered: svg), width: g.width, height: height)
    }
}
