import Crypto
import Foundation
import Hummingbird
import _CryptoExtras

/// A user of the `auth-security` lab; the password is kept only as a salted scrypt hash.
struct AuthUser: Sendable {
    let id: Int
    let username: String
    let passwordHash: String

    var json: [String: Any] { ["id": id, "username": username] }
}

/// A private note of the `auth-security` lab.
struct PrivateNote: Sendable {
    let id: Int
    let owner: Int
    let text: String

    var json: [String: Any] { ["id": id, "owner": owner, "text": text] }
}

/// Users, their notes, and the failed logins of the last minute per username (the rate limit).
actor AuthStore {
    private var users: [AuthUser] = []
    private var notes: [PrivateNote] = []
    private var failures: [String: [Date]] = [:]
    private let mutant: AuthSecurityMutant?

    /// Failed logins allowed per username within ``window``; the next attempt answers 429.
    static let allowedFailures = 5
    static let window: TimeInterval = 60

    init(mutant: AuthSecurityMutant?) {
        self.mutant = mutant
    }

    func signUp(username: String, password: String) throws -> AuthUser {
        guard !users.contains(where: { $0.username.lowercased() == username.lowercased() }) else {
            throw RequestProblem(.conflict, "The username '\(username)' is taken")
        }
        let user = AuthUser(id: users.count + 1, username: username, passwordHash: try PasswordHash.make(password))
        users.append(user)
        return user
    }

    /// The user, when the password is right and the username is not locked out; the same 401 for a
    /// wrong password and an unknown user.
    func logIn(username: String, password: String) throws -> AuthUser {
        let key = username.lowercased()
        if mutant != .limitSparesRightPassword { try checkLimit(key) }
        if mutant == .loginSQLTautology, username.replacingOccurrences(of: " ", with: "").lowercased().contains("'or'1'='1"), let first = users.first
        {
            return first
        }
        let user = users.first { $0.username.lowercased() == key }
        guard let user, try PasswordHash.verify(password, against: user.passwordHash) else {
            if user == nil { try PasswordHash.verifyNothing(password) }
            if mutant == .limitSparesRightPassword { try checkLimit(key) }
            failures[key, default: []].append(Date())
            if mutant == .userEnumeration {
                throw RequestProblem(.unauthorized, user == nil ? "No such user" : "Wrong password")
            }
            throw RequestProblem(.unauthorized, "Wrong username or password")
        }
        failures[key] = nil
        return user
    }

    func user(_ id: Int) -> AuthUser? {
        users.first { $0.id == id }
    }

    func addNote(text: String, owner: Int) -> PrivateNote {
        let note = PrivateNote(id: notes.count + 1, owner: owner, text: text)
        notes.append(note)
        return note
    }

    func note(_ id: Int) -> PrivateNote? {
        notes.first { $0.id == id }
    }

    func notes(of owner: Int, containing text: String) -> [PrivateNote] {
        notes.filter { $0.owner == owner && (text.isEmpty || $0.text.localizedCaseInsensitiveContains(text)) }
    }

    /// 429 with the seconds until the oldest failure of the window expires, once a username has
    /// had ``allowedFailures`` failures in it.
    private func checkLimit(_ key: String) throws(RateLimited) {
        guard mutant != .noLoginLimit else { return }
        let now = Date()
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
        failures[key] = recent
        guard recent.count >= Self.allowedFailures, let oldest = recent.first else { return }
        let wait = Int((Self.window - now.timeIntervalSince(oldest)).rounded(.up))
        throw RateLimited(retryAfter: mutant == .limitWithoutRetryAfter ? nil : max(1, wait))
    }
}

/// Too many failed logins for one username: 429, and when to try again.
struct RateLimited: HTTPResponseError {
    let retryAfter: Int?

    var status: HTTPResponse.Status { .tooManyRequests }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSON.error(
            .tooManyRequests, "Too many failed logins for this user; try again later",
            headers: retryAfter.map { [.retryAfter: String($0)] } ?? [:])
    }
}

/// Salted scrypt hashes, `scrypt$<salt>$<hash>` in base64. The cost is modest (2^12) so the lab's
/// bursts stay quick; a production server would use more.
enum PasswordHash {
    static func make(_ password: String) throws -> String {
        let salt = Data((0..<16).map { _ in UInt8.random(in: .min ... .max) })
        return "scrypt$\(salt.base64EncodedString())$\(try derive(password, salt: salt).base64EncodedString())"
    }

    static func verify(_ password: String, against stored: String) throws -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])), let expected = Data(base64Encoded: String(parts[2])) else {
            return false
        }
        let derived = try derive(password, salt: salt)
        return derived.count == expected.count && zip(derived, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Spends the time of a verification, so an unknown user answers as slowly as a wrong password.
    static func verifyNothing(_ password: String) throws {
        _ = try derive(password, salt: Data(count: 16))
    }

    private static func derive(_ password: String, salt: Data) throws -> Data {
        let key = try KDF.Scrypt.deriveKey(from: Data(password.utf8), salt: salt, outputByteCount: 32, rounds: 1 << 12, blockSize: 8, parallelism: 1)
        return key.withUnsafeBytes { Data($0) }
    }
}
