import LabKit

/// The learner's own program among the steps (`groundwork check --run`): its lines marked so they
/// are not mistaken for the lab's, and its unexpected exit said plainly.
extension TextReporter {
    public static let programPrefix = "  app │ "

    /// One line the program printed, to stdout or stderr alike (servers log to either).
    public func programLine(_ line: String) -> String {
        dim(Self.programPrefix) + line
    }

    /// The program ended by itself while it was being checked.
    public func programExited(_ status: ExitStatus) -> String {
        "  " + red("your program \(status) while it was being checked: the checks after this find nothing listening")
    }
}
