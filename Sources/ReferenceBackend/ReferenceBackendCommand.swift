import ArgumentParser
import Foundation
import Hummingbird

/// `reference-backend --lab LAB --port P [--mutant NAME] [--data-file FILE] [--instance-id ID]`:
/// serves the correct solution of a lab (or one of its mutants) on 127.0.0.1, so labs can be
/// checked against known-good and known-broken servers; `--list-mutants LAB` lists the mutants and
/// the stage each must fail.
@main
struct ReferenceBackendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-backend",
        abstract: "Serve a lab's reference solution (or a deliberately broken mutant) on 127.0.0.1."
    )

    @Option(help: "The lab to serve: \(ReferenceLab.allCases.map(\.rawValue).joined(separator: ", ")).")
    var lab: String?

    @Option(help: "Port on 127.0.0.1 (0 picks a free one).")
    var port: Int = 3000

    @Option(help: "Serve this mutant instead of the correct solution.")
    var mutant: String?

    @Option(name: .customLong("list-mutants"), help: ArgumentHelp("List the mutants of a lab and exit.", valueName: "LAB"))
    var listMutants: String?

    @Option(
        name: .customLong("data-file"),
        help: ArgumentHelp(
            "Labs that keep data (\(ReferenceLab.allCases.filter(\.keepsData).map(\.rawValue).joined(separator: ", "))): keep it in this JSON file, "
                + "so it survives a restart and instances can share it (env DATA_FILE; default: in memory only).", valueName: "FILE"))
    var dataFile: String?

    @Option(
        name: .customLong("instance-id"),
        help: ArgumentHelp(
            "The id this instance reports in X-Instance-Id, when several run behind a proxy (env INSTANCE_ID; default: from the port).",
            valueName: "ID"))
    var instanceID: String?

    func run() async throws {
        if let listMutants, let variants = Self.fileLabVariants[listMutants] {
            let width = variants.map(\.name.count).max() ?? 0
            for mutant in variants {
                let verdict = mutant.correct ? "passes (a correct variant)" : "fails at stage '\(mutant.stage)'"
                print("\(mutant.name.padding(toLength: width, withPad: " ", startingAt: 0)) \(verdict): \(mutant.bug)")
            }
            return
        }
        if lab == "container" {
            let variant = try mutant.map(Self.containerServer)
            let label = variant.map { "container (mutant \($0.rawValue))" } ?? "container"
            return try await ShutdownBackend.serve(mutant: variant, port: port) { Self.announce(label, $0) }
        }
        if let listMutants {
            let lab = try Self.lab(named: listMutants)
            let all = lab.mutants + lab.correctVariants
            let width = all.map(\.name.count).max() ?? 0
            for mutant in all {
                let verdict = mutant.correct ? "passes (a correct variant)" : "fails at stage '\(mutant.stage)'"
                print("\(mutant.name.padding(toLength: width, withPad: " ", startingAt: 0)) \(verdict): \(mutant.bug)")
            }
            return
        }
        guard let name = lab else { throw ValidationError("say which lab to serve with --lab (\(Self.labNames)), or use --list-mutants LAB") }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port number (0–65535)") }
        let lab = try Self.lab(named: name)
        let mutant = self.mutant
        let environment = ProcessInfo.processInfo.environment
        if dataFile != nil, !lab.keepsData {
            throw ValidationError(
                "--data-file applies to labs that keep data (\(ReferenceLab.allCases.filter(\.keepsData).map(\.rawValue).joined(separator: ", "))); lab \(lab.rawValue) keeps none"
            )
        }
        let data = lab.keepsData ? (dataFile ?? environment["DATA_FILE"].flatMap { $0.isEmpty ? nil : $0 }).map(URL.init(fileURLWithPath:)) : nil
        let storage = !lab.keepsData ? "" : data.map { ", data in \($0.path)" } ?? ", data in memory only"
        let instance = instanceID ?? environment["INSTANCE_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? "reference-\(port)"
        let named = lab == .reverseProxy ? ", instance \(instance)" : ""
        if lab == .reverseProxy, let mutant, ReverseProxyMutant(rawValue: mutant)?.inProxy == true {
            print("reference-backend: mutant \(mutant) is a bug in the nginx configuration; this app is correct")
        }
        try await Self.application(lab: lab, mutant: mutant, port: port, dataFile: data, instanceID: instance) { port in
            print(
                "reference-backend: \(lab.rawValue)\(mutant.map { " (mutant \($0))" } ?? "") listening on http://127.0.0.1:\(port)\(storage)\(named)")
            fflush(nil)
        }.runService()
    }

    /// The server, or a one-line error naming what to fix (an unknown mutant, an unreadable data file).
    private static func application(
        lab: ReferenceLab, mutant: String?, port: Int, dataFile: URL?, instanceID: String,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) throws -> some ApplicationProtocol {
        do {
            return try ReferenceServer.application(
                lab: lab, mutant: mutant, port: port, dataFile: dataFile, instanceID: instanceID, onRunning: onRunning)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    /// Labs whose reference is a repository or a folder, built by the tests (their variants are listed, not served).
    static let fileLabVariants: [String: [Mutant]] = [
        "git-workflow": GitWorkflowMutant.allCases.map(\.mutant),
        "container": ContainerMutant.allCases.map(\.mutant),
    ]

    /// A container mutant this backend can serve: one that differs in how it shuts down.
    private static func containerServer(_ name: String) throws -> ContainerMutant {
        let servers = ContainerMutant.allCases.filter(\.isServer)
        guard let mutant = ContainerMutant(rawValue: name), mutant.isServer else {
            throw ValidationError(
                "lab container serves its shutdown variants only: \(servers.map(\.rawValue).joined(separator: ", ")) (the others are folders the tests write)"
            )
        }
        return mutant
    }

    private static func announce(_ what: String, _ port: Int) {
        print("reference-backend: \(what) listening on http://127.0.0.1:\(port)")
        fflush(nil)
    }

    private static var labNames: String { ReferenceLab.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func lab(named name: String) throws -> ReferenceLab {
        guard let lab = ReferenceLab(rawValue: name) else {
            throw ValidationError("there is no reference solution for lab '\(name)' (there are: \(labNames))")
        }
        return lab
    }
}
