/// A person with an account (team mode), or the single implicit learner of personal mode.
public struct User: Sendable, Equatable {
    public let id: String
    public let email: String
    public let passwordHash: String
    public let isAdmin: Bool
    public let createdAt: Int64

    public init(id: String, email: String, passwordHash: String, isAdmin: Bool, createdAt: Int64) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.isAdmin = isAdmin
        self.createdAt = createdAt
    }
}
