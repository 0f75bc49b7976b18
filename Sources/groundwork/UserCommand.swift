import ArgumentParser
import Foundation
import Learning
import Logging
import Storage
import Web

/// `groundwork user …`: account administration from a terminal on the server, the same steps as
/// the admin pages (checked alike, written to the audit log as done by "terminal"). Changes
/// reach running servers on PostgreSQL at once; on SQLite a running server's cached sessions
/// follow within five minutes.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage accounts (team mode).",
        subcommands: [Create.self, List.self, SetRole.self, Disable.self, Enable.self, ResetPassword.self, SignUp.self])

    /// Opens the database and runs `body` with the administration over it, closing it afterwards.
    static func administer<T>(_ storage: StorageOptions, _ body: (AccountAdministration) async throws -> T) async throws -> T {
        let database = try await storage.openDatabase(logger: Logger.groundwork())
        do {
            let result = try await body(AccountAdministration(database: database, notices: ChangeNotices.shared(through: database)))
            await database.close()
            return result
        } catch let error as UserFacingError {
            await database.close()
            throw ValidationError(error.detail)
        } catch {
            await database.close()
            throw error
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an account; the password is read from standard input (when piped) or prompted for without echo.")

        @Flag(help: "Make the account an administrator (the same as --role admin).")
        var admin = false

        @Option(help: "admin, mentor or learner (default learner).")
        var role: String?

        @Argument(help: "The account's email address.")
        var email: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let email = AccountRules.normalizedEmail(email)
            if let problem = AccountRules.emailProblem(email) { throw ValidationError(problem) }
            let role = admin ? Role.admin : try parseRole(role ?? "learner")
            let password = try readPassword()
            if let problem = AccountRules.passwordProblem(password, email: email) { throw ValidationError(problem) }
            let hash = try await PasswordHasher().hash(password)
            let database = try await storage.openDatabase(logger: Logger.groundwork())
            do {
                let user = try await SQLUserRepository(database: database).create(email: email, passwordHash: hash, role: role)
                try await AccountAdministration(database: database, notices: ChangeNotices()).recordCreated(user, by: AccountAdministration.terminal)
                await database.close()
                print("Created \(role == .admin ? "administrator" : role.rawValue + " account") \(email).")
            } catch is EmailTaken {
                await database.close()
                throw ValidationError("an account with the email \(email) already exists")
            } catch {
                await database.close()
                throw error
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

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts with their roles, status and last activity.")

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let accounts = try await UserCommand.administer(storage) { try await $0.accounts() }
            guard !accounts.isEmpty else {
                print("No accounts yet. Create the first administrator with: groundwork user create --admin EMAIL")
                return
            }
            let width = max(5, accounts.map(\.email.count).max() ?? 0)
            func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
            func time(_ seconds: Int64?) -> String {
                seconds.map { Date(timeIntervalSince1970: TimeInterval($0)).ISO8601Format() } ?? "never"
            }
            print(pad("EMAIL", width) + "  ROLE     STATUS    LAST ACTIVE")
            for account in accounts {
                print(
                    pad(account.email, width) + "  " + pad(account.role.rawValue, 7) + "  " + pad(account.disabled ? "disabled" : "active", 8)
                        + "  " + time(account.lastSeenAt))
            }
        }
    }

    struct SetRole: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Change an account's role.")

        @Argument(help: "The account's email address.")
        var email: String

        @Argument(help: "admin, mentor or learner.")
        var role: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let role = try parseRole(role)
            let changed = try await UserCommand.administer(storage) { administration in
                try await administration.setRole(role, of: try await administration.account(email), by: AccountAdministration.terminal)
            }
            print("\(changed.email) is now a \(changed.role.rawValue).")
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account: its sessions end and its API tokens stop working.")

        @Argument(help: "The account's email address.")
        var email: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let changed = try await UserCommand.administer(storage) { administration in
                try await administration.disable(try await administration.account(email), by: AccountAdministration.terminal)
            }
            print("Disabled \(changed.email): its sessions have ended and its API tokens are refused.")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")

        @Argument(help: "The account's email address.")
        var email: String

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let changed = try await UserCommand.administer(storage) { administration in
                try await administration.enable(try await administration.account(email), by: AccountAdministration.terminal)
            }
            print("Enabled \(changed.email): its owner can sign in again.")
        }
    }

    struct ResetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reset-password", abstract: "Print a password-reset link (valid for 24 hours) to hand to the account's owner.")

        @Argument(help: "The account's email address.")
        var email: String

        @Option(help: "The server's public address, put in front of the link (e.g. https://groundwork.example.org).")
        var url: String?

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let secret = try await UserCommand.administer(storage) { administration in
                try await administration.startPasswordReset(for: try await administration.account(email), by: AccountAdministration.terminal)
            }
            let base = (url ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            print("A password-reset link for \(AccountRules.normalizedEmail(email)), valid for 24 hours and usable once:")
            print((base.isEmpty ? "" : base) + "/reset/" + secret)
            if base.isEmpty { print("(put your server's address in front of it, or pass --url https://YOUR-SERVER)") }
        }
    }

    struct SignUp: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign-up", abstract: "Show or set who may create an account: open, invitation or closed.")

        @Argument(help: "open, invitation or closed; without it, the current mode is shown.")
        var mode: String?

        @OptionGroup var storage: StorageOptions

        func run() async throws {
            let mode = try mode.map { text in
                guard let mode = SignUpMode(rawValue: text) else {
                    throw ValidationError("'\(text)' is not a sign-up mode: use open, invitation or closed")
                }
                return mode
            }
            let current = try await UserCommand.administer(storage) { administration in
                if let mode { try await administration.setSignUpMode(mode, by: AccountAdministration.terminal) }
                return try await administration.signUpMode()
            }
            print("Sign-up: \(current.title).")
        }
    }
}

/// The role named on the command line.
private func parseRole(_ text: String) throws -> Role {
    guard let role = Role(rawValue: text.lowercased()) else {
        throw ValidationError("'\(text)' is not a role: use admin, mentor or learner")
    }
    return role
}
