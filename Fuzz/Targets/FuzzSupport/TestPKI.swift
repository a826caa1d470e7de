import Foundation
import SohoaCrypto

/// The repository's TEST-ONLY PKI (`Certs/`), which the seeds are signed with.
///
/// Found through `SOHOA_FUZZ_CERTS` when set (scripts/fuzz.sh sets it), otherwise beside this
/// package in the source tree it was built from.
public enum TestPKI {
    /// The `Certs/` folder.
    public static let folder: String = {
        if let configured = ProcessInfo.processInfo.environment["SOHOA_FUZZ_CERTS"], !configured.isEmpty {
            return configured
        }
        // …/Fuzz/Targets/FuzzSupport/TestPKI.swift → …/Certs
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Certs").path
    }()

    /// The path of `name` in `Certs/`.
    public static func path(_ name: String) -> String {
        (folder as NSString).appendingPathComponent(name)
    }

    /// The first certificate in `Certs/<name>`; stops the process when it cannot be loaded,
    /// since every input would then be tested against the wrong thing.
    public static func certificate(_ name: String) -> Certificate {
        do {
            guard let first = try Certificate.load(fileAt: path(name)).first else {
                fatalError("\(path(name)): no certificate in the file")
            }
            return first
        } catch {
            fatalError("\(path(name)): \(error) (set SOHOA_FUZZ_CERTS to the Certs folder)")
        }
    }
}
