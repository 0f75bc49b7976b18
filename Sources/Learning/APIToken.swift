/// An API token as its owner sees it in a list: never the secret itself, which is shown once.
public struct APIToken: Sendable, Equatable, Codable {
    public let id: String
    public let name: String
    public let createdAt: Int64
    public let lastUsedAt: Int64?

    public init(id: String, name: String, createdAt: Int64, lastUsedAt: Int64?) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
