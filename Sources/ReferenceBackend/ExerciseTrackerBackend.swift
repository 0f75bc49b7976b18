import Foundation
import Hummingbird

/// Plausible bugs in an `exercise-tracker` solution, each caught by one stage.
enum ExerciseTrackerMutant: String, MutantCase {
    case usersWrapped = "users-wrapped"
    case durationAsText = "duration-as-text"
    case dateAsISO = "date-as-iso"
    case noCount = "no-count"
    case rangeIgnored = "range-ignored"
    case limitIgnored = "limit-ignored"
    case noCORS = "no-cors"
    case numericID = "numeric-id"
    case westOfUTC = "west-of-utc"

    var stage: String {
        switch self {
        case .usersWrapped, .numericID: "users"
        case .durationAsText, .dateAsISO: "exercises"
        case .noCount: "logs"
        case .rangeIgnored, .limitIgnored: "filters"
        case .noCORS: "cors"
        case .westOfUTC: "exercises"
        }
    }

    var bug: String {
        switch self {
        case .usersWrapped: "GET /api/users answers {\"users\": [...]} instead of the array itself"
        case .durationAsText: "duration is answered as the form sent it, a text (\"30\"), not a number"
        case .dateAsISO: "date is answered as 1990-01-01 instead of the toDateString() form 'Mon Jan 01 1990'"
        case .noCount: "the log has no count"
        case .rangeIgnored: "from and to are ignored, so the log always holds every exercise"
        case .limitIgnored: "limit is ignored, so the log always holds every exercise in the range"
        case .noCORS: "no Access-Control-Allow-Origin header, so a page on another origin cannot read the answers"
        case .numericID: "_id is a number (1, 2, 3…), where freeCodeCamp requires a string"
        case .westOfUTC:
            "correct: dates are written in a time zone west of Greenwich, so 1990-01-01 reads 'Sun Dec 31 1989', which freeCodeCamp accepts"
        }
    }

    var correct: Bool { self == .westOfUTC }
}

/// The correct `exercise-tracker` solution (or one mutant of it): users, their exercises, and a
/// log that can be cut to a date range and a length.
struct ExerciseTrackerBackend {
    let mutant: ExerciseTrackerMutant?

    /// Someone whose exercises are logged; `_id` in the answers.
    struct User: Sendable {
        let id: String
        let username: String
    }

    /// One logged exercise of a user.
    struct Exercise: Sendable {
        let description: String
        let duration: Int
        /// Midnight UTC of the exercise's day.
        let day: Date
    }

    /// Users in the order they signed up, and each one's exercises.
    actor Store {
        private(set) var users: [User] = []
        private var exercises: [String: [Exercise]] = [:]

        func addUser(_ username: String, numbered: Bool) -> User {
            let id = numbered ? String(users.count + 1) : (0..<12).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            let user = User(id: id, username: username)
            users.append(user)
            return user
        }

        func user(_ id: String) -> User? { users.first { $0.id == id } }

        func add(_ exercise: Exercise, to id: String) { exercises[id, default: []].append(exercise) }

        func exercises(of id: String) -> [Exercise] { exercises[id] ?? [] }
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.allowAnyOrigin(mutant != .noCORS)
        let store = Store()
        router.post("/api/users") { [mutant] request, _ in
            guard let username = try await FormFields.read(request)["username"], !username.isEmpty else {
                return JSON.error(.badRequest, "username is required")
            }
            let user = await store.addUser(username, numbered: mutant == .numericID)
            return JSON.response(["username": user.username, "_id": Self.shown(user.id, mutant)])
        }
        router.get("/api/users") { [mutant] _, _ in
            let users: [[String: Any]] = await store.users.map { ["username": $0.username, "_id": Self.shown($0.id, mutant)] }
            return JSON.response(mutant == .usersWrapped ? ["users": users] : users)
        }
        router.post("/api/users/:id/exercises") { request, context in
            try await addExercise(request, id: context.parameters.get("id") ?? "", store: store)
        }
        router.get("/api/users/:id/logs") { request, context in
            try await log(request, id: context.parameters.get("id") ?? "", store: store)
        }
        return router
    }

    private func addExercise(_ request: Request, id: String, store: Store) async throws -> Response {
        guard let user = await store.user(id) else { return JSON.error(.notFound, "unknown _id") }
        let fields = try await FormFields.read(request)
        guard let description = fields["description"], !description.isEmpty else { return JSON.error(.badRequest, "description is required") }
        guard let duration = fields["duration"].flatMap({ Int($0) }), duration > 0 else {
            return JSON.error(.badRequest, "duration must be a whole number of minutes")
        }
        var day = Self.today()
        if let text = fields["date"], !text.isEmpty {
            guard let given = Self.day(text) else { return JSON.error(.badRequest, "date must be yyyy-mm-dd") }
            day = given
        }
        let exercise = Exercise(description: description, duration: duration, day: day)
        await store.add(exercise, to: id)
        var answer = entry(exercise)
        answer["_id"] = Self.shown(user.id, mutant)
        answer["username"] = user.username
        return JSON.response(answer)
    }

    private func log(_ request: Request, id: String, store: Store) async throws -> Response {
        guard let user = await store.user(id) else { return JSON.error(.notFound, "unknown _id") }
        let query = request.uri.queryParameters
        var exercises = await store.exercises(of: id)
        if mutant != .rangeIgnored {
            if let from = query["from"].flatMap({ Self.day(String($0)) }) { exercises = exercises.filter { $0.day >= from } }
            if let to = query["to"].flatMap({ Self.day(String($0)) }) { exercises = exercises.filter { $0.day <= to } }
        }
        if mutant != .limitIgnored, let limit = query["limit"].flatMap({ Int($0) }), limit >= 0 {
            exercises = Array(exercises.prefix(limit))
        }
        var answer: [String: Any] = ["_id": Self.shown(user.id, mutant), "username": user.username, "log": exercises.map(entry)]
        if mutant != .noCount { answer["count"] = exercises.count }
        return JSON.response(answer)
    }

    private func entry(_ exercise: Exercise) -> [String: Any] {
        [
            "description": exercise.description,
            "duration": mutant == .durationAsText ? String(exercise.duration) : exercise.duration,
            "date": Self.dayFormatter(mutant == .dateAsISO ? "yyyy-MM-dd" : "EEE MMM dd yyyy", westOfUTC: mutant == .westOfUTC).string(
                from: exercise.day),
        ]
    }

    /// An id as the answers carry it: a text, or a number for the mutant that numbers users.
    private static func shown(_ id: String, _ mutant: ExerciseTrackerMutant?) -> Any {
        mutant == .numericID ? Int(id) ?? 0 : id
    }

    /// Midnight UTC of `yyyy-mm-dd`, or `nil`.
    private static func day(_ text: String) -> Date? {
        dayFormatter("yyyy-MM-dd").date(from: text)
    }

    /// Midnight UTC of the current day.
    private static func today() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.startOfDay(for: Date())
    }

    /// Days in UTC, spelled in English whatever the machine's settings.
    private static func dayFormatter(_ format: String, westOfUTC: Bool = false) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = westOfUTC ? TimeZone(secondsFromGMT: -5 * 3600) : TimeZone(identifier: "UTC")
        formatter.isLenient = false
        formatter.dateFormat = format
        return formatter
    }
}
