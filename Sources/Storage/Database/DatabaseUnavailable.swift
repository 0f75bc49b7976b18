import Foundation
import NIOCore
import PostgresNIO
import SQLiteKit

/// The database cannot do its part right now — PostgreSQL is down or unreachable, or the SQLite
/// file cannot be written (full disk, read-only folder) — through no fault of the request.
///
/// It exists so the web layer can answer 503 with `Retry-After` at once, instead of a 500 or a
/// request that hangs, and so an operator's log says what is wrong with the machine. Nothing the
/// request wanted to change was changed.
public struct DatabaseUnavailable: Error, CustomStringConvertible, Sendable {
    /// What a client may be told: no paths, no internals.
    public let detail: String
    /// What the operator needs to fix it, for the log.
    public let cause: String
    /// When to try again.
    public let retryAfterSeconds: Int

    public var description: String { "\(detail) (\(cause))" }

    static func postgres(_ cause: String) -> DatabaseUnavailable {
        DatabaseUnavailable(
            detail: "The database is not answering right now; nothing was changed. Try again in a few seconds.",
            cause: cause, retryAfterSeconds: 5)
    }

    static func sqlite(_ cause: String) -> DatabaseUnavailable {
        DatabaseUnavailable(
            detail: "The server cannot use its database for this right now (the operator's log says why); nothing was changed. Try again later.",
            cause: cause, retryAfterSeconds: 30)
    }
}

/// What an SQLite error means for the person running Groundwork, when it is about the machine
/// (disk, permissions, a damaged file) rather than about a query.
enum SQLiteProblem {
    /// One line naming the problem and what to do, or nil for errors that are not the machine's.
    static func explain(_ error: any Error, path: String) -> String? {
        guard let error = error as? SQLiteError else { return nil }
        let folder = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let folderShown = folder.isEmpty ? "." : folder
        switch error.reason {
        case .full:
            return "the disk holding \(folderShown) is full (\(error.message)): free some space; nothing was lost"
        case .readOnly, .readonlyInRecovery, .readonlyCantLock, .readonlyInRollback, .readonlyBackingMoved, .readonlyDirectory:
            return
                "\(path) cannot be written (\(error.message)): the file or the data folder \(folderShown) is read-only; make both writable by the user running Groundwork"
        case .cantOpen, .cantOpenDirectory, .cantOpenInvalidPath, .cantOpenUnfollowedSymlink, .permission, .auth:
            // SQLite says only "unable to open database file": ask the file system which part it is.
            if access(folderShown, W_OK) != 0 && errno == EROFS {
                return
                    "cannot open \(path) (\(error.message)): the data folder \(folderShown) is on a read-only file system; mount it read-write, or choose another folder with --data"
            }
            return
                "cannot open \(path) (\(error.message)): check that the data folder \(folderShown) exists and that it and the file are readable and writable by the user running Groundwork"
        case .corrupt, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable, .notADatabase, .format:
            return
                "\(path) is damaged or is not an SQLite database (\(error.message)): restore a backup with `groundwork restore FILE` (README, Backups), or move the file away to start with an empty database"
        case .ioError, .ioErrorFailedRead, .ioErrorIncompleteRead, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedDirSync,
            .ioErrorFailedTruncate, .ioErrorFailedStat, .ioErrorFailedUnlock, .ioErrorFailedReadLock, .ioErrorFailedDelete,
            .ioErrorNoMemory, .ioErrorFailedAccess, .ioErrorFailedLockCheck, .ioErrorFailedAdvisoryLock, .ioErrorFailedClose,
            .ioErrorFailedSharedMemOpen, .ioErrorFailedSharedMemSize, .ioErrorFailedSharedMemMap, .ioErrorFailedDeleteNonexistent,
            .ioErrorFailedMemoryMap, .ioErrorCantFindTempdir, .ioErrorBadDataChecksum, .ioErrorCorruptedFilesystem:
            return "reading or writing \(path) failed (\(error.message)): check the disk under \(folderShown) — is it full, read-only or failing?"
        default:
            return nil
        }
    }
}

/// Which PostgreSQL errors mean "the server is not there" rather than "this query is wrong".
enum PostgresProblem {
    static func isOutage(_ error: any Error) -> Bool {
        if error is ChannelError || error is IOError { return true }
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return true
        case .server:
            // Class 08: connection exception; 57P0x: the server is shutting down or starting;
            // 53300: too many connections.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P") || state == "53300"
        default:
            return error.underlying.map(isOutage) ?? false
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            return error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
        }
        return "\(error)"
    }
}
