import ArgumentParser
import Curriculum
import Foundation
import Learning
import Logging
import Web

/// `groundwork export FILE`: everything a learner has, from the database `--data`/`--database`
/// names, as the JSON an import reads (the default) or as Markdown to read.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a learner's progress, notes, quizzes, lab runs and SQL practice to a file."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, markdown
    }

    @Argument(help: "The file to write ('-' writes to standard output).")
    var file: String

    @Option(help: "json (versioned, what `groundwork import` reads) or markdown (for reading).")
    var format: Format = .json

    @Option(help: "The account to export (team mode); personal mode's learner when left out.")
    var email: String?

    @OptionGroup var contentOptions: ContentOptions
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let roadmap = try contentOptions.loadRoadmap()
        let database = try await storage.openDatabase(logger: .groundwork())
        let text: Data
        do {
            let (transfer, learnerID) = try await LearnerDataTransfer.open(roadmap: roadmap, database: database, email: email)
            let now = WallClock.nowMilliseconds()
            switch format {
            case .json: text = try await transfer.json(learnerID: learnerID, now: now)
            case .markdown: text = Data(try await transfer.markdown(learnerID: learnerID, now: now).utf8)
            }
            await database.close()
        } catch let error as UserFacingError {
            await database.close()
            throw ValidationError(error.detail)
        } catch {
            await database.close()
            throw error
        }
        if file == "-" {
            FileHandle.standardOutput.write(text)
            return
        }
        do {
            try text.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw ValidationError("cannot write '\(file)': \(error.localizedDescription)")
        }
        print("Wrote \(file) (\(format.rawValue), \(text.count) bytes).")
    }
}

extension ContentOptions {
    /// The roadmap, or a one-line reason to run `groundwork content check`.
    func loadRoadmap() throws -> Roadmap {
        try validateExists()
        do {
            return try ContentLoader(contentDirectory: contentDirectory, sourceRoot: sourceRoot).loadRoadmap()
        } catch {
            throw ValidationError("the content is not valid; run groundwork content check")
        }
    }
}
