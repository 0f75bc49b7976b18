import ArgumentParser
import Foundation
import LabRunner

/// `--upload [--server URL]`: sends the run to a Groundwork server. The API token comes from the
/// environment (GROUNDWORK_TOKEN), never from a flag, which would land in shell history.
struct LabUploadOptions: ParsableArguments {
    @Flag(help: "Send the result to a Groundwork server, with the API token in env GROUNDWORK_TOKEN.")
    var upload = false

    @Option(
        help: ArgumentHelp("With --upload: the Groundwork server (env GROUNDWORK_SERVER; default \(RunUploader.defaultServer)).", valueName: "URL"))
    var server: String?

    /// The uploader `--upload` asks for, checked before the run so a missing token costs nothing.
    func uploader() throws -> RunUploader? {
        guard upload else {
            if server != nil { throw UsageError("--server goes with --upload (it says where to send the result)") }
            return nil
        }
        let address = server ?? Environment.value("GROUNDWORK_SERVER") ?? RunUploader.defaultServer
        guard let url = URL(string: address), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw UsageError(
                "'\(address)' (from \(server == nil ? "GROUNDWORK_SERVER" : "--server")) is not an http:// or https:// URL of a Groundwork server")
        }
        guard let token = Environment.value("GROUNDWORK_TOKEN") else {
            throw UsageError(
                "--upload needs an API token in the environment variable GROUNDWORK_TOKEN: create one on the API tokens page "
                    + "(\(address.hasSuffix("/") ? String(address.dropLast()) : address)\(RunUploader.tokensPage)), then `export GROUNDWORK_TOKEN=…`")
        }
        return RunUploader(server: url, token: token)
    }
}
