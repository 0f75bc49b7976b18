import ArgumentParser
import Foundation
import Logging
import Storage
import Web

/// `groundwork user create [--admin] EMAIL`: creates an account; the password is read from stdin
/// (when piped) or prompted for without echo, so it never appears in shell history.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage accounts.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account (team mode).")

        @Flag(help: "Make the account an administrator.")
        var admin = false

        @Argument(help: "The account's email address.")
        var email: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let email = AccountRules.normalizedEmail(email)
            if let problem = AccountRules.emailProblem(email) { throw ValidationError(problem) }
            let password = try readPassword()
            if let problem = AccountRules.passwordProblem(password, email: email) { throw ValidationError(problem) }
            let logger = Logger.groundwork()
            let database = try await storage.openDatabase(logger: logger)
            defer { Task { await database.close() } }
            do {
                let hash = try await PasswordHasher().hash(password)
                _ = try await SQLUserRepository(database: database).create(email: email, passwordHash: hash, isAdmin: admin)
                await database.close()
                print("Created \(admin ? "administrator" : "account") \(email.lowercased()).")
            } catch is EmailTaken {
                await database.close()
                throw ValidationError("an account with the email \(email.lowercased()) already exists")
            }
        }

        private func readPassword() throws -> String {
            if isatty(STDIN_FILENO) == 1 {
                guard let entered = getpass("Password for \(email): ") else { throw ValidationError("no password entered") }
                return String(cString: entered)
            }
            guard let line = readLine(strippingNewline: true) else {
                throw ValidationError("no password on standard input: pipe it in, e.g. printf '%s\\n' \"$PASSWORD\" | groundwork user create EMAIL")
            }
            return line
        }
    }
}
