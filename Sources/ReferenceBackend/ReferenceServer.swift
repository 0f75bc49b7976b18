import Foundation
import Hummingbird
import Logging

/// Builds the reference backend as a Hummingbird application on 127.0.0.1 only: it is a test
/// fixture and a worked example, never something to expose to a network.
enum ReferenceServer {
    static func application(
        lab: ReferenceLab, mutant: String?, port: Int, dataFile: URL? = nil, instanceID: String = "reference",
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        var logger = Logger(label: "reference-backend")
        logger.logLevel = .warning
        return Application(
            responder: PeerAddressResponder(inner: try lab.router(mutant: mutant, dataFile: dataFile, instanceID: instanceID).buildResponder()),
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "reference-backend"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
