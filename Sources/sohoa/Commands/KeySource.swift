import Foundation
import SohoaCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Opens the signing key named on the command line: a PKCS#12 file or a PKCS#11 token, with
/// its password or PIN from the environment variable named, or asked for without echo at a
/// terminal. Typed at a terminal, a wrong secret may be typed twice more; from the
/// environment, it fails at once (a script would only repeat it). Secrets are never shown.
struct KeySource {
    let p12: PKCS12KeyOptions
    let token: TokenKeyOptions

    /// How many times a secret typed at a terminal may be tried.
    static let attempts = 3

    /// The key, ready to sign.
    func open() throws -> any Signer {
        let variable = p12.p12 != nil ? p12.passwordEnv : token.pinEnv
        let what = p12.p12 != nil ? "password" : "PIN"
        if let variable {
            guard let value = ProcessInfo.processInfo.environment[variable] else {
                throw SignFailure(code: "secret-not-set", message: "sohoa sign: the environment variable \(variable) is not set",
                                  exitCode: ExitStatus.usage)
            }
            return try attempt(with: value).get()
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw SignFailure(code: "no-secret", message: "sohoa sign: no \(what): give --password-env/--pin-env VAR, "
                              + "or run on a terminal to be asked", exitCode: ExitStatus.usage)
        }
        let prompt = p12.p12.map { "Password for \($0): " } ?? "PIN for token \(token.token ?? ""): "
        for round in 1...Self.attempts {
            guard let entered = getpass(prompt) else { break }
            let result = attempt(with: String(cString: entered))
            switch result {
            case .success(let signer): return signer
            case .failure(let failure) where failure.wrongSecret && round < Self.attempts:
                let left = Self.attempts - round
                Output.error(DisplayLanguage.current.pick(
                    vietnamese: "\(what == "PIN" ? "Mã PIN" : "Mật khẩu") không đúng; còn \(left) lần thử.",
                    english: "The \(what) is wrong; \(left) more \(left == 1 ? "try" : "tries")."))
            case .failure(let failure): throw failure
            }
        }
        throw SignFailure(code: "no-secret", message: "sohoa sign: no \(what) was given. Nothing was signed.",
                          exitCode: ExitStatus.refused)
    }

    /// One try at opening the key with `secret`.
    private func attempt(with secret: String) -> Result<any Signer, SignFailure> {
        do {
            if let path = p12.p12 {
                return .success(PKCS12Signer(identity: try PKCS12.load(path: path, password: secret)))
            }
            let module = try PKCS11Module.load(path: token.pkcs11Module ?? "")
            let chain = try token.chain.map { try Certificate.load(fileAt: $0) } ?? []
            return .success(try PKCS11Signer(module: module, tokenLabel: token.token ?? "", pin: secret,
                                             keyLabel: token.keyLabel, chain: chain))
        } catch {
            let wrong: Bool
            switch error {
            case KeyLoadingError.wrongPassword: wrong = true
            case let failure as SigningError: wrong = failure.kind == .wrongPIN
            default: wrong = false
            }
            return .failure(SignFailure(code: wrong ? "wrong-secret" : "key-unusable",
                                        message: "sohoa sign: \(error). Nothing was signed.",
                                        exitCode: ExitStatus.refused, wrongSecret: wrong))
        }
    }
}
