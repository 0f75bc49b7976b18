import Foundation

/// An account of the `data-integrity` lab. Its version goes up with every change, so its ETag
/// names exactly one state of it.
struct Account: Sendable, Codable {
    let id: Int
    var email: String
    var owner: String
    var balance: Int
    var version: Int

    var json: [String: Any] { ["id": id, "email": email, "owner": owner, "balance": balance] }
    var etag: String { "\"\(id)-\(version)\"" }
}

/// The accounts, changed only inside this actor, one change at a time, each checked and applied
/// without a suspension point in between — what a database transaction gives a real server. With
/// a data file every change is written before it is answered, so the data survives a restart.
/// The mutants put a suspension between reading and writing (a check-then-act race) or skip a check.
actor AccountStore {
    private var accounts: [Account] = []
    private var nextID = 1
    private let file: DataFile<Saved>?
    private let mutant: DataIntegrityMutant?

    /// What the data file holds: the next id too, so an account created after a restart never takes an old id.
    struct Saved: Codable {
        let nextID: Int
        let accounts: [Account]
    }

    init(file: URL?, mutant: DataIntegrityMutant?) throws(DataFileProblem) {
        self.mutant = mutant
        self.file = mutant == .accountsInMemory ? nil : file.map(DataFile.init)
        if let saved = try self.file?.read() {
            accounts = saved.accounts
            nextID = saved.nextID
        }
    }

    func account(_ id: Int) -> Account? {
        accounts.first { $0.id == id }
    }

    func accounts(email: String?) -> [Account] {
        guard let email else { return accounts }
        return accounts.filter { sameEmail($0.email, email) }
    }

    func create(email: String, owner: String, balance: Int) async throws -> Account {
        try checkUnique(email, except: nil)
        if mutant == .racyUnique { await pause() }
        let account = Account(id: nextID, email: email, owner: owner, balance: balance, version: 1)
        nextID += 1
        accounts.append(account)
        try save()
        return account
    }

    /// Moves `amount` between two accounts, all or nothing.
    func transfer(from: Int, to: Int, amount: Int) async throws -> (from: Account, to: Account) {
        guard from != to else { throw RequestProblem(.unprocessableContent, "'from' and 'to' must be two different accounts") }
        guard let source = account(from), let target = account(to) else {
            throw RequestProblem(.notFound, "There is no account \(account(from) == nil ? from : to)")
        }
        if mutant == .racyTransfers { await pause() }
        guard source.balance >= amount || mutant == .overdraftAllowed else {
            throw RequestProblem(.conflict, "Account \(from) holds \(source.balance), less than \(amount): nothing was moved")
        }
        change(from, movesMoney: true) { $0.balance = source.balance - amount }
        change(to, movesMoney: true) { $0.balance = target.balance + amount }
        try save()
        return (account(from)!, account(to)!)
    }

    func deposit(into id: Int, amount: Int) async throws -> Account {
        guard let before = account(id) else { throw RequestProblem(.notFound, "There is no account \(id)") }
        if mutant == .lostDeposits { await pause() }
        change(id, movesMoney: true) { $0.balance = before.balance + amount }
        try save()
        return account(id)!
    }

    /// Changes owner and email; with `ifMatch`, only when it names the account's current ETag.
    func update(_ id: Int, owner: String?, email: String?, ifMatch: String?) throws -> Account {
        guard let current = account(id) else { throw RequestProblem(.notFound, "There is no account \(id)") }
        if let ifMatch, mutant != .ifMatchIgnored, !Self.matches(ifMatch, current.etag) {
            throw RequestProblem(
                .preconditionFailed, "If-Match \(ifMatch) is not the current version \(current.etag): read the account again and retry")
        }
        if let email { try checkUnique(email, except: id) }
        change(id, movesMoney: false) { account in
            account.owner = owner ?? account.owner
            account.email = email ?? account.email
        }
        try save()
        return account(id)!
    }

    // MARK: helpers

    /// Applies `update` and moves the version on; the `deposits-keep-etag` mutant forgets to when money moves.
    private func change(_ id: Int, movesMoney: Bool, _ update: (inout Account) -> Void) {
        guard let index = accounts.firstIndex(where: { $0.id == id }) else { return }
        update(&accounts[index])
        if !movesMoney || mutant != .depositsKeepETag { accounts[index].version += 1 }
    }

    private func checkUnique(_ email: String, except id: Int?) throws(RequestProblem) {
        guard accounts.contains(where: { $0.id != id && sameEmail($0.email, email) }) else { return }
        if mutant == .duplicate500 { throw RequestProblem(.internalServerError, "UNIQUE constraint failed: accounts.email") }
        throw RequestProblem(.conflict, "An account with the email '\(email)' already exists")
    }

    private func sameEmail(_ a: String, _ b: String) -> Bool {
        mutant == .caseSensitiveEmails ? a == b : a.lowercased() == b.lowercased()
    }

    /// The gap between a read and a write that the racy mutants leave: other requests run in it.
    private func pause() async {
        try? await Task.sleep(for: .milliseconds(50))
    }

    private func save() throws {
        try file?.write(Saved(nextID: nextID, accounts: accounts))
    }

    /// `If-Match: *`, one ETag, or a comma-separated list of them.
    static func matches(_ ifMatch: String, _ etag: String) -> Bool {
        ifMatch.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains { $0 == "*" || $0 == etag }
    }
}
