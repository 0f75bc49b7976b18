import Crypto
import Foundation
import SQLPractice

/// The shipped exercises on a dataset built once for the whole suite, in a throwaway data folder,
/// plus helpers the suites share.
enum PracticeFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let exercisesDirectory = repositoryRoot.appendingPathComponent("Content/sql")
    static let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-sql-\(UUID().uuidString)")

    /// The shipped exercises with the default limits.
    static let practice = Result { try SQLPractice.load(exercisesDirectory: exercisesDirectory, dataDirectory: dataDirectory) }

    /// A sandbox on the same dataset with a short time limit, so runaway queries end quickly.
    static func sandbox(timeLimit: Duration = .milliseconds(500)) -> Sandbox {
        Sandbox(dataset: PracticeDataset(dataDirectory: dataDirectory), limits: SandboxLimits(timePerStatement: timeLimit))
    }

    /// The SHA-256 of a file's bytes, as hex.
    static func sha256(of path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// A fresh data folder for a test that builds its own dataset; removed by the caller.
    static func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("groundwork-sql-\(UUID().uuidString)")
    }
}
