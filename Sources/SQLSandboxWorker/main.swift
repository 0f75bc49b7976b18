import Foundation
import SQLPractice

// `groundwork-sql-sandbox`: started by groundwork itself, never by hand (see SandboxWorker).
exit(SandboxWorker.serve())
