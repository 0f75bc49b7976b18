import ArgumentParser
import Curriculum
import Foundation
import Learning
import Logging
import Web

/// `groundwork review`: every quiz question due for review, asked one by one in the terminal, on
/// the same schedule as the /review page.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Answer the quiz questions due for review, one by one."
    )

    @Option(help: "The account whose questions to review (team mode); personal mode's learner when left out.")
    var email: String?

    @OptionGroup var contentOptions: ContentOptions
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        try contentOptions.validateExists()
        let roadmap: Roadmap
        do {
            roadmap = try ContentLoader(contentDirectory: contentOptions.contentDirectory, sourceRoot: contentOptions.sourceRoot).loadRoadmap()
        } catch {
            throw ValidationError("the content is not valid; run groundwork content check")
        }
        let database = try await storage.openDatabase(logger: .groundwork())
        do {
            try await ask(try await TerminalReview.open(roadmap: roadmap, database: database, email: email))
            await database.close()
        } catch let error as UserFacingError {
            await database.close()
            throw ValidationError(error.detail)
        } catch {
            await database.close()
            throw error
        }
    }

    private func ask(_ review: TerminalReview) async throws {
        let questions = try await review.due(now: WallClock.nowSeconds())
        guard !questions.isEmpty else {
            print("Nothing is due for review. Questions you miss in a quiz come back here after a day.")
            return
        }
        print(
            "\(questions.count) question\(questions.count == 1 ? "" : "s") due for review. Answer with a number (or several, like 1,3); Enter skips, q stops."
        )
        var right = 0
        var answered = 0
        for (position, question) in questions.enumerated() {
            print(
                "\n\(position + 1). [\(question.topicTitle)] \(question.prompt)" + (question.allowsMultipleAnswers ? " (choose all that apply)" : ""))
            for (number, choice) in question.choices.enumerated() { print("   \(number + 1)) \(choice)") }
            print("> ", terminator: "")
            guard let line = readLine()?.trimmingCharacters(in: .whitespaces), line.lowercased() != "q" else { break }
            let picked = Set(line.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) })
            guard !picked.isEmpty else {
                print("Skipped: it stays due.")
                continue
            }
            let marked = try await review.answer(question, picked: picked, now: WallClock.nowSeconds())
            answered += 1
            if marked.isCorrect { right += 1 }
            print(marked.isCorrect ? "✓ Right." : "✗ Wrong. Right: \(marked.rightChoices.map(String.init).joined(separator: ", ")).")
            for number in marked.rightChoices { print("   \(number)) \(marked.explanations[number - 1])") }
        }
        print("\n\(right) of \(answered) right. Right answers come back after a longer gap; missed ones tomorrow.")
    }
}
