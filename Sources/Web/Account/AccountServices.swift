import Foundation
import Storage

/// What sign-up, sign-in and sign-out use (team mode).
struct AccountServices: Sendable {
    let pages: PageRenderer
    let users: any UserRepository
    let sessions: any SessionRepository
    let hasher: PasswordHasher
    /// Sign-in attempts per client address.
    let signInsPerAddress: RateLimit
    /// Failed sign-ins per account.
    let failuresPerAccount: RateLimit
    /// Whether `X-Forwarded-Proto` says if the client used HTTPS (cookies are then `Secure`).
    let trustProxy: Bool
    let sessionLifetime: TimeInterval
}
