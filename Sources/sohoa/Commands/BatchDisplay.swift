import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a signing batch shows as it goes: at a terminal, one progress line that fills up;
/// otherwise one line per document; nothing on standard output with `--json`. Refusals,
/// failures and warnings always go to standard error, naming the document.
final class BatchDisplay: @unchecked Sendable {
    // Sendable: the batch calls its report closure under its own lock, one call at a time.
    private let terminal: Bool
    private let quiet: Bool
    private let total: Int
    private let nameWidth: Int
    private var done = 0

    init(total: Int, nameWidth: Int, quiet: Bool) {
        self.total = total
        self.nameWidth = nameWidth
        self.quiet = quiet
        self.terminal = !quiet && isatty(STDOUT_FILENO) == 1
    }

    /// A warning about a document that is still signed.
    func warn(_ name: String, _ message: String) {
        if terminal { print("") }
        Output.error("WARNING  \(name): \(message)")
    }

    /// One more document done: `line` is what a script sees, `failure` why it failed,
    /// `refusal` why it was not signed.
    func show(_ name: String, line: String? = nil, failure: String? = nil, refusal: String? = nil) {
        done += 1
        if let failure {
            if terminal { print("") }
            Output.error("FAILED   \(name): \(failure)")
        }
        if let refusal {
            if terminal { print("") }
            Output.error("REFUSED  \(refusal)")
        }
        if terminal {
            let width = 30
            let filled = total == 0 ? width : done * width / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " \(done)/\(total)"
            FileHandle.standardOutput.write(Data("\r  \(bar) \(name.prefix(nameWidth))\u{1B}[K".utf8))
        } else if let line, !quiet {
            print(line)
        }
    }

    /// Ends the progress line.
    func finish() {
        if terminal { print("") }
    }
}
