import Foundation
import Hummingbird

/// A deliberately broken variant of a reference solution: one plausible learner bug. The lab
/// must fail it, at the stage the bug belongs to — that is how we know the lab is an honest judge.
struct Mutant: Sendable, Equatable {
    let name: String
    /// The id of the first stage that must fail.
    let stage: String
    /// The bug, as a learner would make it.
    let bug: String
}

/// The labs the reference backend can serve, each a correct solution with its named mutants.
enum ReferenceLab: String, CaseIterable, Sendable {
    case httpBasics = "http-basics"
    case restJSON = "rest-json"

    var mutants: [Mutant] {
        switch self {
        case .httpBasics: HTTPBasicsMutant.allCases.map(\.mutant)
        case .restJSON: RestJSONMutant.allCases.map(\.mutant)
        }
    }

    /// The router of the correct solution, or of the named mutant; `notesFile` keeps rest-json's
    /// notes across restarts. Throws ``UnknownMutant`` or ``NotesFileProblem``.
    func router(mutant name: String?, notesFile: URL? = nil) throws -> Router<BasicRequestContext> {
        switch self {
        case .httpBasics:
            return HTTPBasicsBackend(mutant: try Self.find(HTTPBasicsMutant.self, name, lab: self)).router()
        case .restJSON:
            return try RestJSONBackend(mutant: try Self.find(RestJSONMutant.self, name, lab: self), notesFile: notesFile).router()
        }
    }

    private static func find<M: MutantCase>(_ type: M.Type, _ name: String?, lab: ReferenceLab) throws(UnknownMutant) -> M? {
        guard let name else { return nil }
        guard let mutant = M(rawValue: name) else { throw UnknownMutant(name: name, lab: lab) }
        return mutant
    }
}

/// The mutants of one lab, as an enum the backend can switch on.
protocol MutantCase: RawRepresentable<String>, CaseIterable, Sendable {
    var stage: String { get }
    var bug: String { get }
}

extension MutantCase {
    var mutant: Mutant { Mutant(name: rawValue, stage: stage, bug: bug) }
}

/// A `--mutant` name the lab does not have.
struct UnknownMutant: Error, CustomStringConvertible {
    let name: String
    let lab: ReferenceLab

    var description: String {
        "lab \(lab.rawValue) has no mutant '\(name)' (it has: \(lab.mutants.map(\.name).joined(separator: ", ")))"
    }
}
