/// Three figures that say whether a question bank can be passed without knowing anything, and the
/// limits they must stay within (`groundwork content check` prints them and fails outside them):
///
/// - over single-choice questions, the share whose right answer is the longest choice (ties count
///   as longest): test-takers learn to pick the longest option, so it must be right at most 35 % of
///   the time;
/// - over true/false questions, the share whose answer is "True": 40–60 %, so always answering one
///   way scores no better than chance;
/// - over multiple-answer questions, how many have 1, 2, 3 … right choices: every count from 1 to 4
///   must occur (and none above), so "pick two or three" is not a strategy.
public struct QuizBankFigures: Sendable, Equatable {
    public static let longestRightLimit = 35
    public static let trueShareRange = 40...60
    public static let rightAnswerCounts = 1...4

    /// Single-choice questions (one right choice, radio buttons, not true/false).
    public private(set) var singleChoice = 0
    /// Of those, the ones whose right choice is the longest (by characters; ties count).
    public private(set) var longestRight = 0
    public private(set) var trueFalse = 0
    /// Of those, the ones whose right answer is "True".
    public private(set) var trueRight = 0
    /// Multiple-answer questions by their number of right choices.
    public private(set) var multipleAnswerCounts: [Int: Int] = [:]

    public init(questions: some Sequence<QuizQuestion>) {
        for question in questions {
            if question.allowsMultipleAnswers {
                multipleAnswerCounts[question.answers.count, default: 0] += 1
            } else if question.isTrueFalse {
                trueFalse += 1
                if question.answers.first.map({ question.choices[$0].text }) == "True" { trueRight += 1 }
            } else if let answer = question.answers.first, question.choices.indices.contains(answer) {
                singleChoice += 1
                let lengths = question.choices.map(\.text.count)
                if lengths[answer] == lengths.max() { longestRight += 1 }
            }
        }
    }

    /// Why the bank fails, one sentence each that says what to change; empty when it passes. A kind
    /// of question the bank does not have cannot give its answers away, so it is not counted
    /// against the bank, except that multiple-answer counts must all occur.
    public var problems: [String] {
        var problems: [String] = []
        if singleChoice > 0, longestRight * 100 > Self.longestRightLimit * singleChoice {
            problems.append(
                "in \(Self.percent(longestRight, of: singleChoice)) of single-choice questions (\(longestRight) of \(singleChoice)) the right answer is the longest choice: at most \(Self.longestRightLimit) % may be; make wrong choices as long and as plausible as the right one, or shorten the right one"
            )
        }
        if trueFalse > 0,
            trueRight * 100 < Self.trueShareRange.lowerBound * trueFalse || trueRight * 100 > Self.trueShareRange.upperBound * trueFalse
        {
            let direction = trueRight * 100 < Self.trueShareRange.lowerBound * trueFalse ? "False" : "True"
            problems.append(
                "\"True\" is the answer to \(Self.percent(trueRight, of: trueFalse)) of true/false questions (\(trueRight) of \(trueFalse)): it must be \(Self.trueShareRange.lowerBound)–\(Self.trueShareRange.upperBound) %; reword some statements whose answer is \"\(direction)\" so the answer flips"
            )
        }
        let missing = Self.rightAnswerCounts.filter { multipleAnswerCounts[$0, default: 0] == 0 }
        if !missing.isEmpty {
            let numbers = missing.map(String.init)
            let list = numbers.count == 1 ? numbers[0] : numbers.dropLast().joined(separator: ", ") + " or " + numbers.last!
            problems.append(
                "no multiple-answer question has \(list) right \(missing == [1] ? "choice" : "choices"): there must be some with each of \(Self.rightAnswerCounts.lowerBound) to \(Self.rightAnswerCounts.upperBound) (write `answer` as a list, `[2]`, for a multiple-answer question with one right choice)"
            )
        }
        let above = multipleAnswerCounts.keys.filter { $0 > Self.rightAnswerCounts.upperBound }.sorted()
        if !above.isEmpty {
            let count = above.reduce(0) { $0 + multipleAnswerCounts[$1, default: 0] }
            problems.append(
                "\(count) multiple-answer \(count == 1 ? "question has" : "questions have") more than \(Self.rightAnswerCounts.upperBound) right choices: make some of them wrong"
            )
        }
        return problems
    }

    /// The three figures, one line each, as `groundwork content check` prints them.
    public var summary: [String] {
        let counts = multipleAnswerCounts.keys.sorted().map { "\($0) right: \(multipleAnswerCounts[$0]!)" }
        let multiple = multipleAnswerCounts.values.reduce(0, +)
        return [
            "Single-choice questions whose right answer is the longest choice: \(Self.percent(longestRight, of: singleChoice)) (\(longestRight) of \(singleChoice); at most \(Self.longestRightLimit) %)",
            "True/false questions whose answer is \"True\": \(Self.percent(trueRight, of: trueFalse)) (\(trueRight) of \(trueFalse); \(Self.trueShareRange.lowerBound)–\(Self.trueShareRange.upperBound) %)",
            "Multiple-answer questions by number of right choices: \(counts.isEmpty ? "none" : counts.joined(separator: ", ")) (\(multiple) in all; each of \(Self.rightAnswerCounts.lowerBound) to \(Self.rightAnswerCounts.upperBound) must occur)",
        ]
    }

    /// "42.1 %", or "–" when there is nothing to divide by.
    static func percent(_ part: Int, of whole: Int) -> String {
        guard whole > 0 else { return "–" }
        let tenths = (part * 1000 + whole / 2) / whole
        return "\(tenths / 10).\(tenths % 10) %"
    }
}
