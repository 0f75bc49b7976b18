import Foundation
import Storage

/// What sign-up, sign-in and sign-out use (team mode).
struct AccountServices: Sendable {
    let pages: PageRenderer
    let users: any UserRepository
    let sessions: any SessionRepository
    let hasher: PasswordHasher
    let signInLimits: SignInLimits
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

    init(events: any RateLimitRepository) {
        perAddress = RateLimit(scope: "sign-ins-per-address", limit: 30, window: 600, events: events)
        failuresPerAccountAndAddress = RateLimit(scope: "failures-per-account-and-address", limit: 5, window: 900, events: events)
        attemptsPerAccount = RateLimit(scope: "attempts-per-account", limit: 10, window: 900, events: events)
        spacingUnderAttack = RateLimit(scope: "sign-in-spacing-per-account", limit: 1, window: 2, events: events)
        signUpsPerAddress = RateLimit(scope: "sign-ups-per-address", limit: 10, window: 3600, events: events)
    }
}
