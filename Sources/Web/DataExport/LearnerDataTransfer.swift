import Curriculum
import Foundation
import LabKit
import Learning
import Storage

/// Export and import of one learner's data, shared by the "Your data" page, the API and the
/// `groundwork export` / `groundwork import` commands, so all of them write the same file and
/// merge by the same rules.
public struct LearnerDataTransfer: Sendable {
    /// What an import did (or, in a dry run, would do).
    public struct Outcome: Sendable {
        public let plan: ImportPlan
        /// Kept but worth knowing: topic ids this roadmap does not have.
        public let notices: [String]
        public let dryRun: Bool
    }

    let roadmap: Roadmap
    let archives: any LearnerArchiveRepository
    let notices: ChangeNotices

    init(roadmap: Roadmap, archives: any LearnerArchiveRepository, notices: ChangeNotices) {
        self.roadmap = roadmap
        self.archives = archives
        self.notices = notices
    }

    /// The transfer for a command: on the account with `email` (team mode), or on personal mode's
    /// learner when nil. Returns the learner's id with it.
    public static func open(roadmap: Roadmap, database: Database, email: String?) async throws -> (LearnerDataTransfer, String) {
        let users = SQLUserRepository(database: database)
        let learnerID: String
        if let email {
            guard let user = try await users.find(email: AccountRules.normalizedEmail(email)) else {
                throw UserFacingError(.notFound, "There is no account with the email \(email). `groundwork user list` shows the accounts.")
            }
            learnerID = user.id
        } else {
            learnerID = try await users.ensure(id: personalLearnerID, email: "learner@localhost").id
        }
        let transfer = LearnerDataTransfer(
            roadmap: roadmap, archives: SQLLearnerArchiveRepository(database: database), notices: ChangeNotices.shared(through: database))
        return (transfer, learnerID)
    }

    public func archive(learnerID: String) async throws -> LearnerArchive {
        try await archives.archive(learnerID: learnerID)
    }

    /// The JSON export, as of `now` (milliseconds since 1970).
    public func json(learnerID: String, now: Int64) async throws -> Data {
        try ExportDocument.text(try await archive(learnerID: learnerID), exportedAt: now)
    }

    /// The Markdown export, as of `now` (milliseconds since 1970).
    public func markdown(learnerID: String, now: Int64) async throws -> String {
        ExportMarkdown(roadmap: roadmap, archive: try await archive(learnerID: learnerID), exportedAt: now).text
    }

    /// Checks the file, then merges it into the learner's data in one transaction (or, with
    /// `dryRun`, only works out what would change). Throws ``ImportProblems`` listing every
    /// problem when the file has any; then nothing is stored.
    public func importFile(_ data: Data, learnerID: String, dryRun: Bool) async throws -> Outcome {
        let file = try ExportDocument.read(data, knownTopicIDs: Set(roadmap.topics.map(\.id)))
        try Self.checkReports(file.archive)
        let plan = try await archives.merge(file.archive, learnerID: learnerID, dryRun: dryRun)
        if !dryRun && !plan.isEmpty { await notices.publish(.learner(learnerID)) }
        return Outcome(plan: plan, notices: file.notices, dryRun: dryRun)
    }

    /// A lab run's page reads its report as a lab verdict; a report that is not one is refused
    /// here rather than stored to break that page later.
    static func checkReports(_ archive: LearnerArchive) throws {
        var problems: [String] = []
        for (index, stored) in archive.labRuns.enumerated() {
            do {
                let verdict = try JSONDecoder().decode(LabVerdict.self, from: Data(stored.report.utf8))
                if verdict.lab != stored.run.labID {
                    problems.append("labRuns[\(index)].report: the report is of lab '\(verdict.lab)', the run of '\(stored.run.labID)'.")
                }
            } catch {
                problems.append("labRuns[\(index)].report: not a lab report as `groundwork check --format json` writes it.")
            }
        }
        if !problems.isEmpty { throw ImportProblems(problems) }
    }
}
