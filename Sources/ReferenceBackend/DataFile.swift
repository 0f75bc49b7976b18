import Foundation

/// A JSON file that holds a lab's data (`--data-file`): written whole and atomically after every
/// change, read back at start, so the data survives a restart (`data-integrity`) and several
/// instances behind a proxy can share it (`reverse-proxy`).
struct DataFile<Contents: Codable>: Sendable {
    let url: URL

    /// What the file holds, or `nil` when there is no file yet.
    func read() throws(DataFileProblem) -> Contents? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(Contents.self, from: Data(contentsOf: url))
        } catch {
            throw DataFileProblem(path: url.path, reason: "it is not a data file this lab's backend wrote (\(error.localizedDescription))")
        }
    }

    func write(_ contents: Contents) throws {
        try JSONEncoder().encode(contents).write(to: url, options: .atomic)
    }
}

/// A `--data-file` the backend cannot read back.
struct DataFileProblem: Error, CustomStringConvertible {
    let path: String
    let reason: String

    var description: String { "cannot use the data file '\(path)': \(reason); delete it or pass another --data-file" }
}
