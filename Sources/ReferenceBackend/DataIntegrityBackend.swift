import Foundation
import Hummingbird

/// Plausible bugs in a `data-integrity` solution, each caught by one stage.
enum DataIntegrityMutant: String, MutantCase {
    case duplicate500 = "duplicate-500"
    case caseSensitiveEmails = "case-sensitive-emails"
    case racyUnique = "racy-unique"
    case overdraftAllowed = "overdraft-allowed"
    case racyTransfers = "racy-transfers"
    case lostDeposits = "lost-deposits"
    case ifMatchIgnored = "if-match-ignored"
    case depositsKeepETag = "deposits-keep-etag"
    case accountsInMemory = "accounts-in-memory"

    var stage: String {
        switch self {
        case .duplicate500, .caseSensitiveEmails, .racyUnique: "unique"
        case .overdraftAllowed: "transfers"
        case .racyTransfers: "concurrent-transfers"
        case .lostDeposits: "concurrent-deposits"
        case .ifMatchIgnored, .depositsKeepETag: "optimistic-locking"
        case .accountsInMemory: "restart"
        }
    }

    var bug: String {
        switch self {
        case .duplicate500: "the database's unique-constraint error is not caught, so a duplicate email answers 500 instead of 409"
        case .caseSensitiveEmails: "emails are compared as typed, so Ada@Example.com and ada@example.com make two accounts"
        case .racyUnique: "uniqueness is checked in code, then the account inserted after a pause, so sign-ups at once all succeed"
        case .overdraftAllowed: "a transfer larger than the balance is carried out, leaving a negative balance"
        case .racyTransfers: "balances are read, checked and written back in separate steps, so transfers at once overdraw and lose money"
        case .lostDeposits: "a deposit reads the balance and writes balance + amount later, so deposits at once overwrite each other"
        case .ifMatchIgnored: "If-Match is ignored, so a change based on a stale version overwrites a newer one"
        case .depositsKeepETag: "the version moves on only when owner or email change, so after a deposit a stale ETag still matches"
        case .accountsInMemory: "accounts are kept in memory only, so a restart loses them"
        }
    }
}

/// The correct `data-integrity` solution (or one mutant of it): accounts with a unique email,
/// transfers and deposits that never lose or create money however many arrive at once,
/// optimistic locking with ETag and If-Match, and — with a data file — data that survives a restart.
struct DataIntegrityBackend {
    let mutant: DataIntegrityMutant?
    /// Where the accounts are kept across restarts; in memory only when `nil`.
    let dataFile: URL?

    func router() throws(DataFileProblem) -> Router<BasicRequestContext> {
        let router = Router()
        let routes = Routes(router: router)
        let store = try AccountStore(file: dataFile, mutant: mutant)
        routes.add(
            "/accounts",
            [
                .get: { request, _ in await list(request, store: store) },
                .post: { request, _ in try await create(request, store: store) },
            ])
        routes.add(
            "/accounts/:id",
            [
                .get: { _, context in try await read(context, store: store) },
                .patch: { request, context in try await update(request, context: context, store: store) },
            ])
        routes.add("/accounts/:id/deposits", [.post: { request, context in try await deposit(request, context: context, store: store) }])
        routes.add("/transfers", [.post: { request, _ in try await transfer(request, store: store) }])
        return router
    }

    // MARK: handlers

    private func create(_ request: Request, store: AccountStore) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        let email = try fields.text("email")
        guard email.contains("@") else { throw RequestProblem(.unprocessableContent, "'email' must be an email address such as ada@example.com") }
        let owner = try fields.text("owner")
        let balance = try fields.wholeNumber("balance", in: 0...Int.max) ?? 0
        let account = try await store.create(email: email, owner: owner, balance: balance)
        return JSON.response(account.json, status: .created, headers: [.location: "/accounts/\(account.id)", .eTag: account.etag])
    }

    private func list(_ request: Request, store: AccountStore) async -> Response {
        let email = request.uri.queryParameters["email"].map(String.init)
        return JSON.response(["items": await store.accounts(email: email).map(\.json)])
    }

    private func read(_ context: BasicRequestContext, store: AccountStore) async throws -> Response {
        guard let account = await store.account(try accountID(context)) else { throw notFound(context) }
        return JSON.response(account.json, headers: [.eTag: account.etag])
    }

    private func update(_ request: Request, context: BasicRequestContext, store: AccountStore) async throws -> Response {
        let id = try accountID(context)
        let fields = try await JSONRequestBody.object(request)
        if let unknown = fields.keys.first(where: { !["owner", "email"].contains($0) }) {
            throw RequestProblem(
                .unprocessableContent, "'\(unknown)' cannot be changed here: send 'owner' and/or 'email' (money moves with deposits and transfers)")
        }
        let owner = fields["owner"] == nil ? nil : try fields.text("owner")
        let email = fields["email"] == nil ? nil : try fields.text("email")
        let account = try await store.update(id, owner: owner, email: email, ifMatch: request.headers[.ifMatch])
        return JSON.response(account.json, headers: [.eTag: account.etag])
    }

    private func deposit(_ request: Request, context: BasicRequestContext, store: AccountStore) async throws -> Response {
        let id = try accountID(context)
        let amount = try await Self.amount(in: request)
        let account = try await store.deposit(into: id, amount: amount)
        return JSON.response(["account": account.id, "amount": amount, "balance": account.balance], status: .created)
    }

    private func transfer(_ request: Request, store: AccountStore) async throws -> Response {
        let fields = try await JSONRequestBody.object(request)
        guard let from = try fields.wholeNumber("from", in: 1...Int.max), let to = try fields.wholeNumber("to", in: 1...Int.max) else {
            throw RequestProblem(.unprocessableContent, "'from' and 'to' are required: the ids of two accounts")
        }
        guard let amount = try fields.wholeNumber("amount", in: 1...Int.max) else {
            throw RequestProblem(.unprocessableContent, "'amount' is required: a whole number of 1 or more")
        }
        let result = try await store.transfer(from: from, to: to, amount: amount)
        return JSON.response(["from": result.from.json, "to": result.to.json, "amount": amount], status: .created)
    }

    // MARK: helpers

    private static func amount(in request: Request) async throws -> Int {
        guard let amount = try await JSONRequestBody.object(request).wholeNumber("amount", in: 1...Int.max) else {
            throw RequestProblem(.unprocessableContent, "'amount' is required: a whole number of 1 or more")
        }
        return amount
    }

    private func accountID(_ context: BasicRequestContext) throws -> Int {
        guard let id = context.parameters.get("id").flatMap({ Int($0) }) else { throw notFound(context) }
        return id
    }

    private func notFound(_ context: BasicRequestContext) -> RequestProblem {
        RequestProblem(.notFound, "There is no account '\(context.parameters.get("id") ?? "")'")
    }
}
