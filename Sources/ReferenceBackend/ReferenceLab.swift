import Foundation
import Hummingbird

/// A variant of a reference solution, served with `--mutant NAME`. Most are deliberately broken —
/// one plausible learner bug that the lab must fail at the stage the bug belongs to — and some
/// are correct in a way real servers differ (a redirect to a trailing slash, tokens that carry the
/// e-mail) that the lab must pass. Both are how we know the lab is an honest judge.
struct Mutant: Sendable, Equatable {
    let name: String
    /// For a bug, the id of the first stage that must fail; for a correct variant, the stage
    /// whose checks meet the difference.
    let stage: String
    /// The bug as a learner would make it, or the difference of a correct variant.
    let bug: String
    /// A correct variant: the lab must pass it.
    let correct: Bool
}

/// The labs the reference backend can serve, each a correct solution with its named mutants.
enum ReferenceLab: String, CaseIterable, Sendable {
    case httpBasics = "http-basics"
    case restJSON = "rest-json"
    case dataIntegrity = "data-integrity"
    case timestamp
    case whoami
    case urlShortener = "url-shortener"
    case exerciseTracker = "exercise-tracker"
    case fileMetadata = "file-metadata"
    case blogAPI = "blog-api"
    case caching
    case authSecurity = "auth-security"
    case asyncJobs = "async-jobs"
    case reverseProxy = "reverse-proxy"

    /// The broken variants: each must fail at its stage.
    var mutants: [Mutant] { variations.filter { !$0.correct } }

    /// The correct variants: each must pass every stage.
    var correctVariants: [Mutant] { variations.filter(\.correct) }

    private var variations: [Mutant] {
        switch self {
        case .httpBasics: HTTPBasicsMutant.allCases.map(\.mutant)
        case .restJSON: RestJSONMutant.allCases.map(\.mutant)
        case .dataIntegrity: DataIntegrityMutant.allCases.map(\.mutant)
        case .timestamp: TimestampMutant.allCases.map(\.mutant)
        case .whoami: WhoamiMutant.allCases.map(\.mutant)
        case .urlShortener: URLShortenerMutant.allCases.map(\.mutant)
        case .exerciseTracker: ExerciseTrackerMutant.allCases.map(\.mutant)
        case .fileMetadata: FileMetadataMutant.allCases.map(\.mutant)
        case .blogAPI: BlogAPIMutant.allCases.map(\.mutant)
        case .caching: CachingMutant.allCases.map(\.mutant)
        case .authSecurity: AuthSecurityMutant.allCases.map(\.mutant)
        case .asyncJobs: AsyncJobsMutant.allCases.map(\.mutant)
        case .reverseProxy: ReverseProxyMutant.allCases.map(\.mutant)
        }
    }

    /// Labs whose data can live in a `--data-file`: kept across restarts, or shared by instances.
    var keepsData: Bool {
        [.dataIntegrity, .reverseProxy].contains(self)
    }

    /// The router of the correct solution, or of the named mutant. `dataFile` keeps the lab's data
    /// (see ``keepsData``); `instanceID` names this instance where several run behind a proxy.
    /// Throws ``UnknownMutant`` or ``DataFileProblem``.
    func router(mutant name: String?, dataFile: URL? = nil, instanceID: String = "reference") throws -> Router<BasicRequestContext> {
        switch self {
        case .httpBasics:
            return HTTPBasicsBackend(mutant: try Self.find(HTTPBasicsMutant.self, name, lab: self)).router()
        case .restJSON:
            return RestJSONBackend(mutant: try Self.find(RestJSONMutant.self, name, lab: self)).router()
        case .dataIntegrity:
            return try DataIntegrityBackend(mutant: try Self.find(DataIntegrityMutant.self, name, lab: self), dataFile: dataFile).router()
        case .timestamp:
            return TimestampBackend(mutant: try Self.find(TimestampMutant.self, name, lab: self)).router()
        case .whoami:
            return WhoamiBackend(mutant: try Self.find(WhoamiMutant.self, name, lab: self)).router()
        case .urlShortener:
            return URLShortenerBackend(mutant: try Self.find(URLShortenerMutant.self, name, lab: self)).router()
        case .exerciseTracker:
            return ExerciseTrackerBackend(mutant: try Self.find(ExerciseTrackerMutant.self, name, lab: self)).router()
        case .fileMetadata:
            return FileMetadataBackend(mutant: try Self.find(FileMetadataMutant.self, name, lab: self)).router()
        case .blogAPI:
            return BlogAPIBackend(mutant: try Self.find(BlogAPIMutant.self, name, lab: self)).router()
        case .caching:
            return CachingBackend(mutant: try Self.find(CachingMutant.self, name, lab: self)).router()
        case .authSecurity:
            return AuthSecurityBackend(mutant: try Self.find(AuthSecurityMutant.self, name, lab: self)).router()
        case .asyncJobs:
            return AsyncJobsBackend(mutant: try Self.find(AsyncJobsMutant.self, name, lab: self)).router()
        case .reverseProxy:
            let mutant = try Self.find(ReverseProxyMutant.self, name, lab: self)
            return try ReverseProxyBackend(mutant: mutant, instanceID: instanceID, dataFile: dataFile).router()
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
    /// True for a correct variant (see ``Mutant/correct``).
    var correct: Bool { get }
}

extension MutantCase {
    var correct: Bool { false }
    var mutant: Mutant { Mutant(name: rawValue, stage: stage, bug: bug, correct: correct) }
}

/// A `--mutant` name the lab does not have.
struct UnknownMutant: Error, CustomStringConvertible {
    let name: String
    let lab: ReferenceLab

    var description: String {
        "lab \(lab.rawValue) has no mutant '\(name)' (it has: \((lab.mutants + lab.correctVariants).map(\.name).joined(separator: ", ")))"
    }
}
