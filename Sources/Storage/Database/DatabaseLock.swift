import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who has an SQLite database open, told through a lock on `<database>.lock` beside it.
///
/// Every process that opens the database (server, worker, backup, any command) holds a shared
/// lock for as long as it has it open; `restore` takes the exclusive lock, so it refuses while
/// anything else uses the file, and a server cannot open it while a restore runs. An idle
/// server holds no SQLite lock at all, so SQLite's own locks cannot tell this. The kernel drops
/// the lock when a process dies, even by SIGKILL, so a crash never leaves the database locked.
final class DatabaseLock: Sendable {
    enum Mode { case shared, exclusive }

    private let descriptor: Mutex<Int32?>

    init(databasePath: String, mode: Mode) throws(DatabaseError) {
        let path = databasePath + ".lock"
        // Read-only is enough for flock, and lets another user's server share the lock file.
        let fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            let reason = String(cString: strerror(code))
            let parent = (databasePath as NSString).deletingLastPathComponent
            let folder = parent.isEmpty ? "." : parent
            switch code {
            case ENOSPC:
                throw .cannotOpen("the disk holding \(folder) is full (cannot create \(path)): free some space")
            case EROFS:
                throw .cannotOpen(
                    "the data folder \(folder) is on a read-only file system (cannot create \(path)): mount it read-write, or choose another folder with --data"
                )
            default:
                throw .cannotOpen("cannot create \(path) (\(reason)): the data folder \(folder) must be writable by the user running Groundwork")
            }
        }
        guard flock(fd, (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            close(fd)
            switch mode {
            case .shared:
                throw .cannotOpen("\(databasePath) is being restored by `groundwork restore`: start again when it has finished")
            case .exclusive:
                throw .cannotOpen(
                    "\(databasePath) is in use by a running Groundwork (a server, a worker or another command): stop it first, then run this again")
            }
        }
        descriptor = Mutex(fd)
    }

    /// Gives the lock up (closing the descriptor); safe to call more than once.
    func release() {
        guard
            let fd = descriptor.withLock({ value -> Int32? in
                defer { value = nil }
                return value
            })
        else { return }
        close(fd)
    }

    deinit { release() }
}
