import Foundation
import SohoaCrypto
import SohoaSigning

/// What `sohoa sign` checks before the first signature of a batch, in this order: the
/// certificate may sign (validity, usage, key size), none of the signer's chain is revoked,
/// the key signs, the time-stamp authority answers, and for `--ltv` the validation data can be
/// had. The first failure stops the batch with one message; nothing is signed.
struct SignPreflight {
    let tsa: String?
    let ltv: Bool
    let allowUnknownRevocation: Bool

    /// What the signatures of a checked batch use.
    struct Checked {
        let timeStamper: (@Sendable ([UInt8]) throws -> [UInt8])?
        let validationData: ValidationDataCollector?
    }

    /// Runs the checks for `signer`; `warn` is told what is let through (an unknown revocation
    /// status with `--allow-unknown-revocation`).
    func run(_ signer: any Signer, warn: (String) -> Void) throws -> Checked {
        let subject = signer.certificate.subject
        let language = DisplayLanguage.current
        let nothingSigned = language.pick(vietnamese: "Chưa ký tài liệu nào.", english: "Nothing was signed.")
        let problems = SigningCertificatePolicy().problems(with: signer.certificate)
        guard problems.isEmpty else {
            throw SignFailure(code: "certificate-unusable", message: "sohoa sign: " + language.pick(
                vietnamese: "\(subject) không ký được: \(problems.joined(separator: "; ")). Chưa ký tài liệu nào.",
                english: "\(subject) cannot sign: \(problems.joined(separator: "; ")). Nothing was signed."),
                exitCode: ExitStatus.refused)
        }
        let fetcher = RevocationFetcher()
        let status = SignerRevocationCheck(fetcher: fetcher).status(of: signer)
        switch status {
        case .good:
            break
        case .revoked:
            throw SignFailure(code: "certificate-revoked", message: "sohoa sign: " + language.pick(
                vietnamese: "\(subject) không được ký: \(status.vietnamese); chữ ký tạo bằng khóa này sẽ không hợp lệ. "
                    + "Chưa ký tài liệu nào.",
                english: "\(subject) cannot sign: \(status.explanation); a signature made with it would be invalid. "
                    + "Nothing was signed."), exitCode: ExitStatus.refused)
        case .unknown where allowUnknownRevocation:
            warn(language.pick(
                vietnamese: "cảnh báo: \(status.vietnamese). Vẫn ký (--allow-unknown-revocation): nếu chứng thư đã bị "
                    + "thu hồi thì các chữ ký này vô giá trị, và bên kiểm tra không tra được tình trạng thu hồi sẽ "
                    + "coi chúng là chưa xác định.",
                english: "warning: \(status.explanation). Signing anyway (--allow-unknown-revocation): if the certificate is "
                    + "revoked, these signatures are worthless, and a verifier that cannot check either will call them "
                    + "indeterminate."))
        case .unknown:
            throw SignFailure(code: "revocation-unknown", message: "sohoa sign: " + language.pick(
                vietnamese: "\(status.vietnamese). Chưa ký tài liệu nào. Hãy kết nối tới dịch vụ tra cứu thu hồi, hoặc, "
                    + "trên máy cố ý không nối mạng, ký với --allow-unknown-revocation.",
                english: "\(status.explanation). Nothing was signed. Bring the revocation service within reach, or, on a "
                    + "machine that is offline on purpose, sign with --allow-unknown-revocation."),
                exitCode: ExitStatus.refused)
        }
        do { try SigningPreflight.checkKey(signer) } catch {
            throw SignFailure(code: error.code, message: "sohoa sign: \(error). " + nothingSigned, exitCode: ExitStatus.refused)
        }
        var timeStamper: (@Sendable ([UInt8]) throws -> [UInt8])?
        if let stamper = tsa.flatMap({ URL(string: $0) }).map({ HTTPTimeStamper(url: $0) }) {
            do { try SigningPreflight.checkTimeStampAuthority(stamper) } catch {
                throw SignFailure(code: error.code, message: "sohoa sign: \(error). " + nothingSigned,
                                  exitCode: ExitStatus.refused)
            }
            timeStamper = { value in try stamper.token(for: value) }
        }
        var collector: ValidationDataCollector?
        if ltv {
            // The material of the signer's own chain must be at hand before anything is signed.
            let gathering = ValidationDataCollector(fetcher: fetcher)
            do { _ = try gathering.material(signer: signer, timeStampToken: nil) } catch {
                throw SignFailure(code: "validation-data-unavailable",
                                  message: "sohoa sign: \(subject) cannot sign with --ltv: \(error). " + nothingSigned,
                                  exitCode: ExitStatus.refused)
            }
            collector = gathering
        }
        return Checked(timeStamper: timeStamper, validationData: collector)
    }
}
