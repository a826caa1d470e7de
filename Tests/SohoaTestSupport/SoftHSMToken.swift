import Foundation

/// A SoftHSM2 token made for this test run, in its own folder with its own configuration.
public enum SoftHSMToken {
    public static let label = "sohoa-test-token"
    public static let pin = "246810"
    public static let securityOfficerPIN = "13579246"

    public static let module = Run.firstExisting([
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ])

    /// Creates the token once per process (SoftHSM2 reads SOFTHSM2_CONF when the module starts).
    public static let prepared: Result<String, any Error> = Result {
        guard let module else { throw SetupError("SoftHSM2 is not installed (make deps installs softhsm2)") }
        let folder = try Fixtures.makeScratch("softhsm")
        let tokens = folder.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("softhsm2.conf")
        try "directories.tokendir = \(tokens.path)\nobjectstore.backend = file\nlog.level = ERROR\n"
            .write(to: config, atomically: true, encoding: .utf8)
        setenv("SOFTHSM2_CONF", config.path, 1)
        configuration = config.path
        let tool = try Run.firstExisting(["/usr/bin/softhsm2-util"]).orThrow("softhsm2-util is missing")
        let result = try Run.process(tool, ["--init-token", "--free", "--label", label,
                                            "--pin", pin, "--so-pin", securityOfficerPIN],
                                     environment: ["SOFTHSM2_CONF": config.path])
        guard result.status == 0 else { throw SetupError("softhsm2-util failed: \(result.stderr)") }
        // The officer's RSA key and the ECDSA officer's key, each with its certificate (same CKA_ID).
        let certs = Fixtures.certs
        for (label, id) in [("officer", "01"), ("officer-ecdsa", "02")] {
            let environment = ["SOFTHSM2_CONF": config.path]
            let key = try Run.process(tool, ["--import", certs.appendingPathComponent("\(label).key.pem").path,
                                             "--token", Self.label, "--label", label, "--id", id, "--pin", pin],
                                      environment: environment)
            guard key.status == 0 else { throw SetupError("importing the \(label) key failed: \(key.stderr)") }
            let der = folder.appendingPathComponent("\(label).der").path
            let converted = try Run.process("/usr/bin/openssl", ["x509", "-in", certs.appendingPathComponent("\(label).pem").path,
                                                                 "-outform", "DER", "-out", der])
            guard converted.status == 0 else { throw SetupError("openssl x509 failed: \(converted.stderr)") }
            let pkcs11Tool = try Run.firstExisting(["/usr/bin/pkcs11-tool"]).orThrow("pkcs11-tool (opensc) is missing")
            let written = try Run.process(pkcs11Tool, ["--module", module, "--token-label", Self.label, "--login",
                                                       "--pin", pin, "--write-object", der, "--type", "cert",
                                                       "--id", id, "--label", label], environment: environment)
            guard written.status == 0 else { throw SetupError("pkcs11-tool failed: \(written.stderr)") }
        }
        return module
    }

    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    /// The SOFTHSM2_CONF the token lives under, for child processes (set by `prepared`).
    nonisolated(unsafe) public private(set) static var configuration: String?
}

extension Optional {
    public func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw SoftHSMToken.SetupError(message) }
        return self
    }
}

