import CLibFuzzer

/// Starts libFuzzer from a fuzz target's `main`.
///
/// SwiftPM links every executable with `main` defined as `<module>_main` (so that tests can
/// link executables); a fuzz target is compiled with `-parse-as-library` and has no main of its
/// own, so each target defines `<module>_main` with `@_cdecl` and calls `run` from it, which
/// hands the command line to libFuzzer's driver. Each target also defines
/// `LLVMFuzzerTestOneInput`, the symbol libFuzzer's own `main` would call.
public enum FuzzDriver {
    /// One fuzz input: its bytes, valid only during the call. Returns 0 (libFuzzer's contract).
    public typealias TestOneInput = @convention(c) (UnsafeRawPointer, Int) -> CInt

    /// Runs libFuzzer on the command line `argc`/`argv`; returns its exit status.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                           _ testOneInput: TestOneInput) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
    }

    /// The bytes of one input as an array.
    public static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: start, count: count))
    }
}
