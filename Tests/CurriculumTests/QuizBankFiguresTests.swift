import Curriculum
import Foundation
import Testing

/// The quiz-bank figures `groundwork content check` prints, and when they fail the bank.
@Suite("Quiz bank figures")
struct QuizBankFiguresTests {
    /// A single-choice question whose right choice is `right` characters long, the others `wrong`.
    static func single(right: Int, wrong: [Int], answer: Int = 0) -> QuizQuestion {
        var lengths = wrong
        lengths.insert(right, at: answer)
        let choices = lengths.enumerated().map { index, length in
            QuizQuestion.Choice(text: String(repeating: Character(UnicodeScalar(UInt8(97 + index))), count: length), why: "why")
        }
        return QuizQuestion(prompt: "single \(UUID())", choices: choices, answers: [answer])
    }

    static func trueFalse(_ answer: Bool, trueFirst: Bool = true) -> QuizQuestion {
        let texts = trueFirst ? ["True", "False"] : ["False", "True"]
        return QuizQuestion(
            prompt: "statement \(UUID())", choices: texts.map { .init(text: $0, why: "why") },
            answers: [texts.firstIndex(of: answer ? "True" : "False")!])
    }

    /// A multiple-answer question with `right` right choices out of five.
    static func multiple(right: Int) -> QuizQuestion {
        QuizQuestion(
            prompt: "multiple \(UUID())", choices: (0..<5).map { .init(text: "choice \($0)", why: "why") },
            answers: Array(0..<right), allowsMultipleAnswers: true)
    }

    /// Multiple-answer questions with 1, 2, 3 and 4 right choices: the distribution that passes.
    static let everyCount = (1...4).map { multiple(right: $0) }

    @Test("a balanced bank passes, and its three figures are printed")
    func balancedBankPasses() {
        // setup: 7 of 20 single-choice right answers are the longest (35 %, the limit), 2 of 5 true/false are "True" (40 %)
        let singles =
            (0..<7).map { _ in Self.single(right: 30, wrong: [20, 25, 10]) }
            + (0..<13).map { index in Self.single(right: 20, wrong: [30, 25, 10], answer: index % 4) }
        let statements = [true, true, false, false, false].map { Self.trueFalse($0) }
        // MUT
        let figures = QuizBankFigures(questions: singles + statements + Self.everyCount)
        // validate
        #expect(figures.singleChoice == 20)
        #expect(figures.longestRight == 7)
        #expect(figures.trueFalse == 5)
        #expect(figures.trueRight == 2)
        #expect(figures.multipleAnswerCounts == [1: 1, 2: 1, 3: 1, 4: 1])
        #expect(figures.problems == [])
        #expect(
            figures.summary == [
                "Single-choice questions whose right answer is the longest choice: 35.0 % (7 of 20; at most 35 %)",
                "True/false questions whose answer is \"True\": 40.0 % (2 of 5; 40–60 %)",
                "Multiple-answer questions by number of right choices: 1 right: 1, 2 right: 1, 3 right: 1, 4 right: 1 (4 in all; each of 1 to 4 must occur)",
            ])
    }

    @Test("one right answer too many that is the longest fails the bank, and a tie for longest counts as longest")
    func longestRightAboveLimit() {
        // setup: 7 of 20 are longest outright, and one more ties with a wrong choice: 8 of 20 = 40 %
        let singles =
            (0..<7).map { _ in Self.single(right: 30, wrong: [20, 25]) }
            + [Self.single(right: 25, wrong: [25, 10], answer: 1)]
            + (0..<12).map { _ in Self.single(right: 10, wrong: [20, 25]) }
        // MUT
        let figures = QuizBankFigures(questions: singles + Self.everyCount)
        // validate
        #expect(figures.longestRight == 8)
        #expect(figures.problems.count == 1)
        #expect(
            figures.problems.first?.hasPrefix(
                "in 40.0 % of single-choice questions (8 of 20) the right answer is the longest choice: at most 35 % may be") == true)
    }

    @Test("true/false answers must be \"True\" in 40 to 60 %", arguments: [(1, 5, false), (2, 5, true), (3, 5, true), (4, 5, false), (0, 3, false)])
    func trueShare(trueCount: Int, total: Int, passes: Bool) {
        // setup: the choices come in either order; what counts is the text of the right one
        let statements = (0..<total).map { index in Self.trueFalse(index < trueCount, trueFirst: index % 2 == 0) }
        // MUT
        let figures = QuizBankFigures(questions: statements + Self.everyCount)
        // validate
        #expect(figures.trueFalse == total)
        #expect(figures.trueRight == trueCount)
        #expect(figures.singleChoice == 0, "true/false questions are not counted as single-choice")
        #expect(figures.problems.isEmpty == passes, "\(figures.problems)")
        if !passes {
            let flip = trueCount * 100 < 40 * total ? "False" : "True"
            #expect(figures.problems.first?.contains("reword some statements whose answer is \"\(flip)\"") == true)
        }
    }

    @Test("multiple-answer questions must have every count of right choices from 1 to 4, and none above")
    func multipleAnswerDistribution() {
        // MUT: only 2 and 3 right, as the bank had
        let twoAndThree = QuizBankFigures(questions: [2, 3, 3].map { Self.multiple(right: $0) })
        // validate
        #expect(twoAndThree.multipleAnswerCounts == [2: 1, 3: 2])
        #expect(
            twoAndThree.problems == [
                "no multiple-answer question has 1 or 4 right choices: there must be some with each of 1 to 4 (write `answer` as a list, `[2]`, for a multiple-answer question with one right choice)"
            ])
        #expect(
            twoAndThree.summary[2]
                == "Multiple-answer questions by number of right choices: 2 right: 1, 3 right: 2 (3 in all; each of 1 to 4 must occur)")

        // MUT: one right choice, given as a list, is a multiple-answer question and counts
        let withOne = QuizBankFigures(questions: [1, 2, 3, 4].map { Self.multiple(right: $0) })
        #expect(withOne.problems == [])

        // MUT: five right choices is out of range
        let withFive = QuizBankFigures(questions: [1, 2, 3, 4, 5].map { Self.multiple(right: $0) })
        #expect(withFive.problems == ["1 multiple-answer question has more than 4 right choices: make some of them wrong"])

        // MUT: no multiple-answer question at all
        #expect(QuizBankFigures(questions: []).problems.first?.hasPrefix("no multiple-answer question has 1, 2, 3 or 4 right choices") == true)
    }

    @Test("a single index is a single-choice question even with one right choice; a one-item list is multiple-answer")
    func oneItemListIsMultipleAnswer() throws {
        // setup
        let fixture = try ContentFixture()
        defer { fixture.remove() }
        try fixture.write("topics/basics/http.md", ContentFixture.topic(id: "http", answer: "[1]"))
        try fixture.write("topics/basics/dns.md", ContentFixture.topic(id: "dns", order: 20, answer: "1"))
        try fixture.publish(["http", "dns"])
        try fixture.write("topics/advanced/caching.md", ContentFixture.topic(id: "caching", stage: "advanced"))
        try fixture.publish(["http", "dns", "caching"])
        // MUT
        let roadmap = try ContentLoader(contentDirectory: fixture.content, sourceRoot: fixture.root).loadRoadmap()
        // validate
        let listed = try #require(roadmap.topic(id: "http")?.quiz.first)
        #expect(listed.allowsMultipleAnswers)
        #expect(listed.answers == [1])
        let single = try #require(roadmap.topic(id: "dns")?.quiz.first)
        #expect(!single.allowsMultipleAnswers)
        let figures = QuizBankFigures(questions: roadmap.topics.flatMap(\.quiz))
        #expect(figures.multipleAnswerCounts == [1: 5])
        #expect(figures.singleChoice == 10)
    }

    @Test("the shipped question bank is within all three limits")
    func shippedBankIsBalanced() throws {
        let root = ShippedContentTests.repositoryRoot
        let roadmap = try ContentLoader(contentDirectory: root.appendingPathComponent("Content"), sourceRoot: nil).loadRoadmap()
        let figures = QuizBankFigures(questions: roadmap.topics.flatMap(\.quiz))
        #expect(figures.problems == [], "\(figures.summary)")
    }
}
