import Foundation
import Hummingbird

/// The container lab's reference server for its shutdown stage: `GET /slow` answers after two
/// seconds, `GET /health` at once. The correct one finishes what it is answering on SIGTERM and
/// exits (Hummingbird's graceful shutdown); its mutants die at once, or ignore the signal.
enum ShutdownBackend {
    static let slowAnswer = Duration.seconds(2)

    static func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: slowAnswer)
            return "finished\n"
        }
        router.get("/health") { _, _ -> String in "ok\n" }
        return router
    }

    /// Serves until SIGTERM or SIGINT, as the variant behaves.
    static func serve(mutant: ContainerMutant?, port: Int, onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        let app = Application(
            router: router(), configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "reference-backend"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) })
        switch mutant {
        case .exitsAtOnce:
            // No handler: the default action of SIGTERM ends the process on the spot.
            signal(SIGTERM, SIG_DFL)
            try await app.run()
        case .ignoresSIGTERM:
            signal(SIGTERM, SIG_IGN)
            try await app.run()
        default:
            try await app.runService()
        }
    }
}
