/// A verdict on one signature or one file, as the auditors' contract names them
/// (`valid`, `invalid`, `indeterminate`, `unsigned`), following ETSI EN 319 102-1.
public enum Verdict: String, Sendable, Codable, CaseIterable {
    /// Every check passed.
    case valid
    /// A check failed: structure, digest, signature value, a forbidden change, or a
    /// revocation proven before signing.
    case invalid
    /// Validity cannot be shown: untrusted or incomplete chain, unknown revocation, ...
    case indeterminate
    /// The file has no signature.
    case unsigned

    /// The verdict of a file from the verdicts of its signatures: the worst of them, and
    /// `unsigned` when there are none.
    public static func forFile(signatures: [Verdict]) -> Verdict {
        if signatures.isEmpty { return .unsigned }
        if signatures.contains(.invalid) { return .invalid }
        if signatures.allSatisfy({ $0 == .valid }) { return .valid }
        return .indeterminate
    }
}

/// The exit codes of `sohoa verify`, fixed by the auditors' contract.
public enum VerifyExitCode: Int32, Sendable {
    /// Every file is signed and every signature is valid.
    case allValid = 0
    /// At least one signature is invalid, or a file was changed in a way its signatures forbid.
    case invalid = 1
    /// Nothing invalid, but something could not be shown valid (untrusted, unknown, unsigned).
    case notProven = 2
    /// A usage error or an unreadable input.
    case usageOrUnreadable = 3

    /// The exit code for a run over files with these verdicts.
    public static func forFiles(_ verdicts: [Verdict]) -> VerifyExitCode {
        if verdicts.contains(.invalid) { return .invalid }
        if !verdicts.isEmpty, verdicts.allSatisfy({ $0 == .valid }) { return .allValid }
        return .notProven
    }
}
