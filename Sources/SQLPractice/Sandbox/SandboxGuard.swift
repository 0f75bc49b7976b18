import CSystemSQLite

/// The watcher of one sandboxed connection: SQLite's authorizer asks it whether each action is
/// allowed, and its progress handler asks it (every thousand steps) whether the statement has
/// run out of time. Both callbacks run on the thread that runs the statement.
final class SandboxGuard {
    let policy: AccessPolicy
    /// When the running statement must stop; set before each statement.
    var deadline = ContinuousClock.now
    /// Set when the progress handler stopped a statement for taking too long.
    private(set) var timedOut = false
    /// Why the authorizer refused the last action it refused.
    private(set) var refusal: String?

    init(policy: AccessPolicy) {
        self.policy = policy
    }

    /// Installs the authorizer and the progress handler on `handle`, from now until ``detach()``.
    func attach(to handle: OpaquePointer) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_set_authorizer(handle, sandboxAuthorizer, context)
        sqlite3_progress_handler(handle, 1_000, sandboxProgressHandler, context)
    }

    /// Removes the callbacks; the connection may then be closed.
    func detach(from handle: OpaquePointer) {
        sqlite3_set_authorizer(handle, nil, nil)
        sqlite3_progress_handler(handle, 0, nil, nil)
    }

    func forgetRefusal() {
        refusal = nil
    }

    fileprivate func authorize(action: Int32, first: String?, second: String?, database: String?) -> Int32 {
        guard let reason = policy.refusal(action: action, first: first, second: second, database: database) else { return SQLITE_OK }
        refusal = refusal ?? reason
        return SQLITE_DENY
    }

    fileprivate func shouldStop() -> Bool {
        if ContinuousClock.now > deadline {
            timedOut = true
            return true
        }
        return false
    }
}

private let sandboxAuthorizer:
    @convention(c) (
        UnsafeMutableRawPointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?
    ) -> Int32 = { context, action, first, second, database, _ in
        guard let context else { return SQLITE_DENY }
        return Unmanaged<SandboxGuard>.fromOpaque(context).takeUnretainedValue()
            .authorize(
                action: action, first: first.map { String(cString: $0) }, second: second.map { String(cString: $0) },
                database: database.map { String(cString: $0) })
    }

private let sandboxProgressHandler: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { context in
    guard let context else { return 1 }
    return Unmanaged<SandboxGuard>.fromOpaque(context).takeUnretainedValue().shouldStop() ? 1 : 0
}
