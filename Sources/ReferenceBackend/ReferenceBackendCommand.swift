import ArgumentParser
import Foundation
import Hummingbird

/// `reference-backend --lab LAB --port P [--mutant NAME] [--notes-file FILE]`: serves the correct
/// solution of a lab (or one of its mutants) on 127.0.0.1, so labs can be checked against
/// known-good and known-broken servers; `--list-mutants LAB` lists the mutants and the stage each
/// must fail.
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

    @Option(name: .customLong("notes-file"), help: ArgumentHelp(
        "rest-json: keep the notes in this JSON file, so they survive a restart (env NOTES_FILE; default: in memory only).", valueName: "FILE"))
    var notesFile: String?

    func run() async throws {
        if let listMutants {
            let lab = try Self.lab(named: listMutants)
            for mutant in lab.mutants {
                print("\(mutant.name.padding(toLength: 20, withPad: " ", startingAt: 0)) fails at stage '\(mutant.stage)': \(mutant.bug)")
            }
            return
        }
        guard let name = lab else { throw ValidationError("say which lab to serve with --lab (\(Self.labNames)), or use --list-mutants LAB") }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port number (0–65535)") }
        let lab = try Self.lab(named: name)
        let mutant = self.mutant
        let notesPath = notesFile ?? ProcessInfo.processInfo.environment["NOTES_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        if notesFile != nil, lab != .restJSON {
            throw ValidationError("--notes-file applies to rest-json only; lab \(lab.rawValue) keeps no data")
        }
        let notes = lab == .restJSON ? notesPath.map(URL.init(fileURLWithPath:)) : nil
        let storage = lab != .restJSON ? "" : notes.map { ", notes in \($0.path)" } ?? ", notes in memory only"
        try await Self.application(lab: lab, mutant: mutant, port: port, notesFile: notes) { port in
            print("reference-backend: \(lab.rawValue)\(mutant.map { " (mutant \($0))" } ?? "") listening on http://127.0.0.1:\(port)\(storage)")
            fflush(nil)
        }.runService()
    }

    /// The server, or a one-line error naming what to fix (an unknown mutant, an unreadable notes file).
    private static func application(lab: ReferenceLab, mutant: String?, port: Int, notesFile: URL?,
                                    onRunning: @escaping @Sendable (Int) async -> Void) throws -> some ApplicationProtocol {
        do {
            return try ReferenceServer.application(lab: lab, mutant: mutant, port: port, notesFile: notesFile, onRunning: onRunning)
        } catch {
            throw ValidationError(String(describing: error))
        }
    }

    private static var labNames: String { ReferenceLab.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func lab(named name: String) throws -> ReferenceLab {
        guard let lab = ReferenceLab(rawValue: name) else {
            throw ValidationError("there is no reference solution for lab '\(name)' (there are: \(labNames))")
        }
        return lab
    }
}
