import ArgumentParser
import Foundation
import Learning
import Logging
import Web

/// `groundwork import FILE`: merges a JSON export into a learner's data in the database
/// `--data`/`--database` names — newer progress and notes win, attempts and runs are added once —
/// or, with `--dry-run`, lists what would change. A file with any problem changes nothing.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Merge a JSON export (from groundwork export or the Your data page) into a learner's data."
    )

    @Argument(help: "The JSON export to read.")
    var file: String

    @Flag(help: "Only list what would change; store nothing.")
    var dryRun = false

    @Option(help: "The account to import into (team mode); personal mode's learner when left out.")
    var email: String?

    @OptionGroup var contentOptions: ContentOptions
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= ExportDocument.maxBytes else {
                throw ValidationError("\(file): $: the file is larger than \(ExportDocument.maxBytes / 1_048_576) MB, the most an import reads")
            }
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("cannot read '\(file)': \(error.localizedDescription)")
        }
        let roadmap = try contentOptions.loadRoadmap()
        let database = try await storage.openDatabase(logger: .groundwork())
        let outcome: LearnerDataTransfer.Outcome
        do {
            let (transfer, learnerID) = try await LearnerDataTransfer.open(roadmap: roadmap, database: database, email: email)
            outcome = try await transfer.importFile(data, learnerID: learnerID, dryRun: dryRun)
            await database.close()
        } catch let refused as ImportProblems {
            await database.close()
            for problem in refused.problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
            let count = refused.problems.count
            throw ValidationError("\(count == 1 ? "a problem" : "\(count) problems") in \(file); nothing was imported")
        } catch let error as UserFacingError {
            await database.close()
            throw ValidationError(error.detail)
        } catch {
            await database.close()
            throw error
        }
        report(outcome)
    }

    private func report(_ outcome: LearnerDataTransfer.Outcome) {
        for notice in outcome.notices { print("note: \(notice)") }
        let changes = outcome.plan.changes
        guard !changes.isEmpty else {
            print("Nothing to import: everything in \(file) is already here.")
            return
        }
        for change in changes { print("  \(change)") }
        let count = "\(changes.count) change\(changes.count == 1 ? "" : "s")"
        print(outcome.dryRun ? "Dry run: importing \(file) would make \(count); nothing was stored." : "Imported \(file): \(count).")
    }
}
