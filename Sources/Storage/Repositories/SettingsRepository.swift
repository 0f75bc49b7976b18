import Learning
import SQLKit

/// Server-wide choices an administrator makes, read from the database on every use (they are
/// read rarely), so every instance sees a change at once.
public protocol SettingsRepository: Sendable {
    /// The sign-up mode; the server's configured default until an administrator chooses one.
    func signUpMode() async throws -> SignUpMode
    func setSignUpMode(_ mode: SignUpMode, now: Int64) async throws
}

/// ``SettingsRepository`` over SQL (SQLite or PostgreSQL): one row per setting in `settings`.
public struct SQLSettingsRepository: SettingsRepository {
    let database: Database
    /// The mode until an administrator chooses one (``SignUpMode/default`` unless configured).
    let defaultSignUpMode: SignUpMode
    static let signUpModeName = "sign_up_mode"

    public init(database: Database, defaultSignUpMode: SignUpMode = .default) {
        self.database = database
        self.defaultSignUpMode = defaultSignUpMode
    }

    public func signUpMode() async throws -> SignUpMode {
        let stored = try await database.withSQL { sql in
            try await sql.raw("SELECT value FROM settings WHERE name = \(bind: Self.signUpModeName)").first()?
                .decode(column: "value", as: String.self)
        }
        return stored.flatMap(SignUpMode.init(rawValue:)) ?? defaultSignUpMode
    }

    public func setSignUpMode(_ mode: SignUpMode, now: Int64) async throws {
        try await database.transaction { sql in
            try await sql.raw(
                """
                INSERT INTO settings (name, value, updated_at) VALUES (\(bind: Self.signUpModeName), \(bind: mode.rawValue), \(bind: now))
                ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """
            ).run()
        }
    }
}
