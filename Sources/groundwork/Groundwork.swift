import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// The `groundwork` command: one binary for the server and the tools around it.
@main
struct Groundwork: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groundwork",
        abstract: "Learn backend development by building it: roadmap, lessons, progress and labs.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, ContentCommand.self, UserCommand.self, BackupCommand.self, RestoreCommand.self, LabsCommand.self,
            CheckCommand.self, SQLCommand.self, ReviewCommand.self, WorkerCommand.self, JobsCommand.self, ExportCommand.self, ImportCommand.self,
        ]
    )

    /// Parses and runs the command; a mistake in the options or a failure to start is reported as
    /// one line on stderr with a non-zero exit code, never as a stack trace.
    static func main() async {
        // Swift concurrency's tasks run on NIO's event loops, the threads the server's sockets are
        // on, instead of hopping to a separate pool and back for every request. Blocking work goes
        // to NIO's thread pool (database I/O, password hashing, name lookups), never to a task.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is CleanExit {
                exit(withError: error)
            }
            let message = error is ExitCode ? "" : message(for: error)
            if !message.isEmpty {
                FileHandle.standardError.write(Data("groundwork: \(message)\n".utf8))
            }
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
    }
}
