import Foundation
import SohoaCrypto
import SohoaPDF

/// Why a file could not be verified at all (it is not a PDF, or cannot be read): exit code 3.
public struct UnreadableInput: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    /// What kind of input it is, with a stable code for the JSON.
    public let kind: Kind
    public var description: String { "\(path): \(reason)" }

    /// Why an input cannot be verified; the raw value is the JSON's `code`.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// No such file or folder.
        case noSuchFile = "no-such-file"
        /// The file cannot be opened or read.
        case unreadable = "unreadable"
        /// The file does not start like a PDF.
        case notPDF = "not-a-pdf"
        /// The PDF is encrypted.
        case encrypted = "encrypted"
    }

    public init(path: String, reason: String, kind: Kind) {
        self.path = path
        self.reason = reason
        self.kind = kind
    }
}

/// Verifies every signature of one PDF: structure first, then what changed after each
/// signature, then cryptography, trust, revocation and time-stamps. Only reads the file.
public struct DocumentVerifier: Sendable {
    public let policy: VerificationPolicy
    public let language: ReportLanguage

    public init(policy: VerificationPolicy, language: ReportLanguage) {
        self.policy = policy
        self.language = language
    }

    public func verify(path: String) throws(UnreadableInput) -> FileReport {
        let file: FileSnapshot
        do { file = try FileSnapshot(path: path) } catch {
            throw UnreadableInput(path: path, reason: (error as? PDFError)?.reason ?? "the file cannot be read",
                                   kind: .unreadable)
        }
        let head = Array(file.bytes.prefix(1024))
        guard head.firstRange(of: Array("%PDF-".utf8)) != nil else {
            throw UnreadableInput(path: path, reason: language == .vi ? "không phải tệp PDF" : "not a PDF file",
                                   kind: .notPDF)
        }
        let layout = RevisionLayout(file.bytes)
        let current: QPDFDocument
        let signatures: [SignatureDictionary]
        do {
            current = try QPDFDocument(snapshot: file, length: file.count, recovery: false)
            signatures = try current.signatureDictionaries()
        } catch {
            let failure = error as? PDFError
            if failure?.kind == .encrypted {
                throw UnreadableInput(path: path, reason: language == .vi
                    ? "tệp đã được mã hóa (bằng mật khẩu hoặc cho người nhận định trước); Sohoa không mở được"
                    : "the file is encrypted (with a password or for certain recipients); Sohoa cannot open it",
                                           kind: .encrypted)
            }
            let detail = failure?.detail ?? "\(error)"
            let hash = Hex.string(SHA256.digest(file.bytes))
            // A complete file (it ends with its last revision's %%EOF) whose structure cannot be
            // read strictly but holds no signature at all claims nothing: it is unsigned, and
            // damaged as the problem says. A cut-off file may have lost its signatures: invalid.
            let complete = !layout.revisions.isEmpty && layout.trailingBytes == nil
            let unsigned = complete && SignatureScan.byteRanges(in: file.bytes).isEmpty
            let damage = Finding.damaged(detail)
            return FileReport(path: path, sha256: hash, verdict: unsigned ? .unsigned : .invalid, signatures: [],
                              problems: [damage.phrase.text(language)], problemCodes: [damage.code])
        }
        let (hash, prefixes) = Self.hashes(file, stoppingAt: signatures.compactMap { $0.byteRange?.count == 4 ? $0.byteRange?[1] : nil })
        let store = (try? current.documentSecurityStore()) ?? ValidationMaterial()
        let context = FileContext(file: file, layout: layout, current: current, signatures: signatures,
                                  storeCertificates: store.certificates.compactMap { try? Certificate(der: $0) },
                                  storeLists: store.crls.compactMap { try? CertificateRevocationList(pemOrDER: $0, name: "DSS") },
                                  storeAnswers: store.ocspResponses.compactMap { try? OCSPResponse(der: $0, name: "DSS") },
                                  certification: signatures.compactMap(\.certificationLevel).first, prefixDigests: prefixes,
                                  crossReferenceAmbiguities: layout.revisions.count > 1 && !signatures.isEmpty
                                      ? CrossReferenceCheck.ambiguities(in: file, layout: layout) : [:])
        // Newest first: each valid document time-stamp proves that everything before it existed
        // at its time, which the checks of the older signatures and time-stamps may rely on.
        var checked = [SignatureReport?](repeating: nil, count: signatures.count)
        var proof: ExistenceProof?
        for index in signatures.indices.sorted(by: { Self.end(of: signatures[$0]) > Self.end(of: signatures[$1]) }) {
            var proven: Date?
            checked[index] = SignatureCheck(signature: signatures[index], context: context, policy: policy, existenceProof: proof)
                .report(language, provenTime: &proven)
            if let proven, proven < (proof?.time ?? .distantFuture) {
                proof = ExistenceProof(time: proven, field: signatures[index].fieldName)
            }
        }
        var reports = checked.compactMap { $0 }
        reports += Self.unaccountedSignatures(in: file, shown: zip(signatures, reports).map { ($0, $1.verdict) }, language)
        return FileReport(path: path, sha256: hash, verdict: Verdict.forFile(signatures: reports.map(\.verdict)),
                          signatures: reports, problems: [], problemCodes: [])
    }

    /// Where a signature's signed bytes end (its revision's end); 0 when its /ByteRange is unusable.
    static func end(of signature: SignatureDictionary) -> Int {
        guard let range = signature.byteRange, range.count == 4 else { return 0 }
        let (end, overflow) = range[2].addingReportingOverflow(range[3])
        return overflow ? 0 : end
    }

    /// A report for every signature dictionary in the file's bytes that no reported signature
    /// accounts for: one the document does not list (a trailer that cuts revisions off), one
    /// qpdf could not read, one replaced by a later revision. Each is invalid, and so the file.
    static func unaccountedSignatures(in file: FileSnapshot, shown: [(SignatureDictionary, Verdict)],
                                      _ language: ReportLanguage) -> [SignatureReport] {
        SignatureScan.byteRanges(in: file.bytes).filter { found in
            !shown.contains { signature, verdict in
                signature.objectID != nil && signature.objectID == found.objectNumber
                    && (signature.byteRange == found.numbers || verdict == .invalid)
            }
        }.map { found in
            let finding = Finding.unaccountedSignature(offset: found.offset, object: found.objectNumber)
            return SignatureReport(
                field: found.objectNumber.map { "(object \($0))" } ?? "(byte \(found.offset))", signer: nil, signingTime: nil,
                timestamp: nil, coversWholeDocument: false, integrity: "malformed", chain: "not-checked",
                revocation: "not-checked", modificationsAfter: [], verdict: .invalid,
                reasons: [finding.phrase.text(language)], reasonCodes: [finding.code], subFilter: nil, certification: nil,
                type: "signature", timestampAuthority: nil)
        }
    }

    /// The file's SHA-256, computed in one pass that also keeps the digest state at each offset
    /// where a signed range's first part ends: each signature's digest then continues from
    /// there, so the bulk of the file is hashed once, not once per use.
    static func hashes(_ file: FileSnapshot, stoppingAt offsets: [Int]) -> (String, [Int: MessageDigest]) {
        var prefixes: [Int: MessageDigest] = [:]
        guard let digest = try? MessageDigest(.sha256) else {
            return (Hex.string(SHA256.digest(file.bytes)), [:])
        }
        var position = 0
        for offset in Set(offsets).sorted() where offset > 0 && offset <= file.count {
            digest.update(UnsafeRawBufferPointer(rebasing: file.bytes[position..<offset]))
            position = offset
            prefixes[offset] = try? digest.copy()
        }
        digest.update(UnsafeRawBufferPointer(rebasing: file.bytes[position...]))
        return (Hex.string(digest.finish()), prefixes)
    }
}

/// What every signature of one file is checked against.
struct FileContext {
    let file: FileSnapshot
    let layout: RevisionLayout
    let current: QPDFDocument
    let signatures: [SignatureDictionary]
    let storeCertificates: [Certificate]
    let storeLists: [CertificateRevocationList]
    let storeAnswers: [OCSPResponse]
    let certification: Int?
    /// SHA-256 states after the first `n` bytes of the file, for the signed ranges.
    let prefixDigests: [Int: MessageDigest]
    /// What makes each revision's cross-reference section ambiguous, by revision index.
    let crossReferenceAmbiguities: [Int: [String]]
}
