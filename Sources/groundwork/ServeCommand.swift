import ArgumentParser
import Curriculum
import Foundation
import Hummingbird
import Learning
import Logging
import ServiceLifecycle
import Storage
import Web

/// `groundwork serve`: validates the content, opens and migrates the database, and serves until
/// SIGINT or SIGTERM, then finishes in-flight requests, closes the database and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the Groundwork web server.")

    @Option(help: "Address to listen on (env GROUNDWORK_HOST; default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env GROUNDWORK_PORT; default 8080).")
    var port: String?

    @Option(help: "personal (one learner, no sign-in) or team (accounts) (env GROUNDWORK_MODE; default personal).")
    var mode: String?

    @Option(
        name: .customLong("allowed-host"),
        help: "Another host name this server answers to, e.g. behind a proxy; repeatable (env GROUNDWORK_ALLOWED_HOSTS, comma-separated).")
    var allowedHosts: [String] = []

    @Flag(help: "Trust X-Forwarded-For/-Proto from a reverse proxy in front (env GROUNDWORK_TRUST_PROXY=1).")
    var trustProxy = false

    @Option(help: "Folder of static files (env GROUNDWORK_PUBLIC; default ./Public).")
    var publicDirectory: String?

    @Option(
        name: .customLong("sign-up"),
        help:
            "Team mode: who may create an account until an admin chooses on the admin page — open, invitation or closed (env GROUNDWORK_SIGN_UP; default invitation)."
    )
    var signUp: String?

    @Flag(help: "Do not run background-job workers in this process; run `groundwork worker` instead (env GROUNDWORK_NO_WORKERS=1).")
    var noWorkers = false

    @OptionGroup var storage: StorageOptions
    @OptionGroup var contentOptions: ContentOptions

    func run() async throws {
        var configuration = try resolveConfiguration()
        let runsWorkers = !(noWorkers || ["1", "true", "yes"].contains(Environment.value("GROUNDWORK_NO_WORKERS")?.lowercased() ?? ""))
        let workerSettings = try WorkerSettings.resolve()
        // On PostgreSQL nothing else is kept on disk: unless a data folder is configured, the SQL
        // practice dataset is built in a private temporary folder, not ./.groundwork where the
        // instance happens to run.
        let practiceFolder = try storage.databaseURL != nil && storage.configuredDataDirectory == nil ? PrivateFolder() : nil
        defer { practiceFolder?.remove() }
        configuration.sqlPractice = SQLPracticeConfiguration(
            exercisesDirectory: contentOptions.contentDirectory.appendingPathComponent("sql").path,
            dataDirectory: practiceFolder?.path ?? storage.dataDirectory)
        try contentOptions.validateExists()
        let logger = Logger.groundwork()

        // The database opens (migrations, SQLite's integrity check) while the content is read.
        async let opening = storage.openDatabase(logger: logger)
        let loader = ContentLoader(contentDirectory: contentOptions.contentDirectory, sourceRoot: nil)
        let roadmap: Roadmap
        do {
            roadmap = try loader.loadRoadmap()
        } catch {
            await (try? await opening)?.close()
            FileHandle.standardError.write(Data((error.problems.map(\.description) + [""]).joined(separator: "\n").utf8))
            throw ValidationError("the content has \(error.problems.count) problem(s), listed above; the server was not started")
        }

        let database = try await opening
        do {
            let app = try await buildApplication(
                AppDependencies(configuration: configuration, roadmap: roadmap, database: database), logger: logger
            )
            logger.info(
                "Groundwork (\(configuration.mode.rawValue) mode) serving http://\(configuration.host):\(configuration.port) — \(roadmap.topics.count) topics, data in \(storage.location)"
            )
            let workers: [any Service] = runsWorkers ? [JobWorkerService(database: database, settings: workerSettings, logger: logger)] : []
            try await ServiceGroup(configuration: .init(services: workers + [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                .run()
        } catch {
            await database.close()
            throw ValidationError("the server stopped: \(Self.describe(error, configuration))")
        }
        await database.close()
        logger.info("Groundwork stopped cleanly")
    }

    private func resolveConfiguration() throws -> AppConfiguration {
        let host = host ?? Environment.value("GROUNDWORK_HOST") ?? "127.0.0.1"
        let portText = port ?? Environment.value("GROUNDWORK_PORT") ?? "8080"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ValidationError("\(self.port == nil ? "GROUNDWORK_PORT" : "--port") '\(portText)' is not a port number (1–65535)")
        }
        let modeText = mode ?? Environment.value("GROUNDWORK_MODE") ?? "personal"
        guard let mode = AppConfiguration.Mode(rawValue: modeText) else {
            throw ValidationError("\(self.mode == nil ? "GROUNDWORK_MODE" : "--mode") '\(modeText)' is not a mode: use personal or team")
        }
        let signUpText = signUp ?? Environment.value("GROUNDWORK_SIGN_UP") ?? SignUpMode.default.rawValue
        guard let signUpMode = SignUpMode(rawValue: signUpText) else {
            throw ValidationError(
                "\(signUp == nil ? "GROUNDWORK_SIGN_UP" : "--sign-up") '\(signUpText)' is not a sign-up mode: use open, invitation or closed")
        }
        let allowed = allowedHosts + (Environment.value("GROUNDWORK_ALLOWED_HOSTS")?.split(separator: ",").map(String.init) ?? [])
        let trust = trustProxy || ["1", "true", "yes"].contains(Environment.value("GROUNDWORK_TRUST_PROXY")?.lowercased() ?? "")
        var configuration = AppConfiguration(
            host: host, port: port, mode: mode,
            allowedHosts: Set(allowed.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }),
            trustProxy: trust, publicDirectory: publicDirectory ?? Environment.value("GROUNDWORK_PUBLIC") ?? "Public",
            labsDirectory: contentOptions.contentDirectory.appendingPathComponent("labs").path
        )
        configuration.signUpMode = signUpMode
        return configuration
    }

    private static func describe(_ error: any Error, _ configuration: AppConfiguration) -> String {
        let text = String(describing: error)
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            return
                "cannot listen on \(configuration.host):\(configuration.port): the address is already in use (is another Groundwork running? try --port)"
        }
        if text.contains("bind") || text.contains("Cannot assign requested address") {
            return "cannot listen on \(configuration.host):\(configuration.port): \(text)"
        }
        return text
    }
}

/// `groundwork migrate`: brings the database schema up to date and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let logger = Logger.groundwork()
        let database = try await storage.openDatabase(logger: logger)
        let version = try? await Migrations.databaseVersion(database)
        await database.close()
        print(
            "The database schema is up to date: version \(version ?? Migrations.latestVersion), the newest this groundwork knows (\(storage.location))."
        )
    }
}

/// A folder only this process can use (mode 0700, a fresh name under the temporary folder),
/// removed when the server stops cleanly.
struct PrivateFolder {
    let path: String

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/groundwork-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw ValidationError(
                "cannot create a folder under \(FileManager.default.temporaryDirectory.path) for the SQL practice dataset: \(String(cString: strerror(errno))); pass --data DIR"
            )
        }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
