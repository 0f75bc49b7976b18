import Foundation

/// The practice database file in the data folder: built from a seed the first time someone
/// practises (so starting the server stays instant), then only ever opened read-only.
public actor PracticeDataset {
    /// The seed every installation uses, so exercises and their explanations can quote real rows.
    public static let defaultSeed: UInt64 = 20_240_601
    /// Part of the file name: bumped whenever the schema or the generator changes, so a file made
    /// by an older version is never mistaken for the current one.
    static let formatVersion = 1

    public nonisolated let fileURL: URL
    public nonisolated let seed: UInt64
    private var building: Task<Void, any Error>?

    /// The dataset for `seed` inside `dataDirectory` (in a `sql-practice` folder).
    public init(dataDirectory: URL, seed: UInt64 = PracticeDataset.defaultSeed) {
        self.seed = seed
        fileURL = dataDirectory.appendingPathComponent("sql-practice")
            .appendingPathComponent("shop-v\(Self.formatVersion)-seed-\(seed).sqlite")
    }

    /// The file's path, building it first if it does not exist yet (callers arriving during the
    /// build wait for the same build).
    public func path() async throws -> String {
        if building == nil {
            let url = fileURL
            let seed = seed
            building = Task {
                guard !FileManager.default.fileExists(atPath: url.path) else { return }
                try await SandboxThreads.pool.runIfActive { try DatasetBuilder.build(at: url, seed: seed) }
            }
        }
        do {
            try await building?.value
        } catch {
            building = nil
            throw error
        }
        return fileURL.path
    }
}
