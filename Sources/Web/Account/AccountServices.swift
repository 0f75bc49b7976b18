import Foundation
import Learning
import Storage
import Synchronization

/// What sign-up, sign-in, sign-out, invitations, password resets and the account page use (team mode).
struct AccountServices: Sendable {
    let pages: PageRenderer
    let users: any UserRepository
    let sessions: any SessionRepository
    let invitations: any InvitationRepository
    let settings: any SettingsRepository
    let resets: any PasswordResetRepository
    let hasher: PasswordHasher
    let signInLimits: SignInLimits
    let activity: ActivityRecorder
    /// Whether `X-Forwarded-Proto` says if the client used HTTPS (cookies are then `Secure`).
    let trustProxy: Bool
    let sessionLifetime: TimeInterval
}

/// The limits on signing in and up (see ``AccountPages/signIn(_:context:)``), counted in the
/// database so they hold whichever instance answers.
struct SignInLimits: Sendable {
    let perAddress: RateLimit
    let failuresPerAccountAndAddress: RateLimit
    /// Attempts per account from any address: past the limit, `spacingUnderAttack` applies.
    let attemptsPerAccount: RateLimit
    let spacingUnderAttack: RateLimit
    let signUpsPerAddress: RateLimit
    /// Checks of a signed-in person's current password (account page): a stolen session cannot
    /// be used to guess it.
    let passwordChecksPerAccount: RateLimit
    /// E-mail changes per account: each says whether the new address is free, so they are few.
    let emailChangesPerAccount: RateLimit

    init(events: any RateLimitRepository) {
        perAddress = RateLimit(scope: "sign-ins-per-address", limit: 30, window: 600, events: events)
        failuresPerAccountAndAddress = RateLimit(scope: "failures-per-account-and-address", limit: 5, window: 900, events: events)
        attemptsPerAccount = RateLimit(scope: "attempts-per-account", limit: 10, window: 900, events: events)
        spacingUnderAttack = RateLimit(scope: "sign-in-spacing-per-account", limit: 1, window: 2, events: events)
        signUpsPerAddress = RateLimit(scope: "sign-ups-per-address", limit: 10, window: 3600, events: events)
        passwordChecksPerAccount = RateLimit(scope: "password-checks-per-account", limit: 10, window: 900, events: events)
        emailChangesPerAccount = RateLimit(scope: "email-changes-per-account", limit: 5, window: 3600, events: events)
    }
}

/// Records when each person last used the server, for the admin page: at most once every five
/// minutes per person and instance, so a busy learner costs a write now and then, not per request.
final class ActivityRecorder: Sendable {
    static let interval: Int64 = 300
    private let users: any UserRepository
    private let recorded = Mutex<[String: Int64]>([:])

    init(users: any UserRepository) {
        self.users = users
    }

    /// Notes that `user` is active now; a failure to store it never fails the request.
    func seen(_ user: User, now: Int64 = WallClock.nowSeconds()) async {
        let due = recorded.withLock { recorded in
            if let last = recorded[user.id], last > now - Self.interval, last <= now { return false }
            if recorded.count >= 10_000 { recorded = [:] }
            recorded[user.id] = now
            return true
        }
        if due { try? await users.recordActivity(id: user.id, at: now) }
    }
}
