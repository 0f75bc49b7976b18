import ArgumentParser
import Hummingbird

/// `reference-backend --lab LAB --port P [--mutant NAME]`: serves the correct solution of a lab
/// (or one of its mutants) on 127.0.0.1, so labs can be checked against known-good and
/// known-broken servers; `--list-mutants LAB` lists the mutants and the stage each must fail.
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
        let app = try Result { () throws(UnknownMutant) in
            try ReferenceServer.application(lab: lab, mutant: mutant, port: port) { port in
                print("reference-backend: \(lab.rawValue)\(mutant.map { " (mutant \($0))" } ?? "") listening on http://127.0.0.1:\(port)")
            }
        }.mapError { ValidationError($0.description) }.get()
        try await app.runService()
    }

    private static var labNames: String { ReferenceLab.allCases.map(\.rawValue).joined(separator: ", ") }

    private static func lab(named name: String) throws -> ReferenceLab {
        guard let lab = ReferenceLab(rawValue: name) else {
            throw ValidationError("there is no reference solution for lab '\(name)' (there are: \(labNames))")
        }
        return lab
    }
}
