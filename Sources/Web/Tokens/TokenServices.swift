import Storage

/// What the API-token page and API use.
struct TokenServices: Sendable {
    let pages: PageRenderer
    let tokens: any TokenRepository
}
