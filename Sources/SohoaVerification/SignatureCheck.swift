import Foundation
import SohoaCrypto
import SohoaPDF

/// What a later document time-stamp proves about a signature, its time-stamp or an earlier
/// document time-stamp: that it existed at `time` (ETSI EN 319 102-1, proof of existence). A
/// certificate that has expired since is then checked at that time.
struct ExistenceProof {
    let time: Date
    /// The document time-stamp's field.
    let field: String
}

/// The checks on one signature, in order; each failure becomes a finding.
struct SignatureCheck {
    let signature: SignatureDictionary
    let context: FileContext
    let policy: VerificationPolicy
    /// The earliest time a valid later document time-stamp proves this signature existed; nil
    /// when none covers it.
    var existenceProof: ExistenceProof? = nil

    /// The value of each byte as a hexadecimal digit, 0xFF for bytes that are not one.
    private static let hexValues: [UInt8] = (0..<256).map { byte in
        switch byte {
        case 0x30...0x39: return UInt8(byte - 0x30)
        case 0x41...0x46: return UInt8(byte - 0x41 + 10)
        case 0x61...0x66: return UInt8(byte - 0x61 + 10)
        default: return 0xFF
        }
    }

    /// The report; `provenTime` is set to the time a valid document time-stamp proves (what it
    /// covers existed then), for the checks of the signatures before it.
    func report(_ language: ReportLanguage, provenTime: inout Date?) -> SignatureReport {
        var findings: [Finding] = []
        var integrity = "intact", chain = "not-checked", revocation = "not-checked"
        var coversWholeDocument = false
        var changes: [ChangeReport] = []
        var signer: Certificate?
        var timestampTime: Date?
        var authority: String?
        var certificateUsed: CertificateUsed?
        var revocationData: [RevocationDataUsed] = []
        var existedAt: ExistenceReport?
        // A /DocTimeStamp with another /SubFilter is refused as malformed below.
        let isDocumentTimeStamp = signature.isDocumentTimeStamp

        func finish() -> SignatureReport {
            let worst = findings.map(\.severity).max() ?? .note
            let verdict: Verdict = worst == .invalid ? .invalid : (worst == .indeterminate ? .indeterminate : .valid)
            provenTime = isDocumentTimeStamp && verdict == .valid ? timestampTime : nil
            return SignatureReport(
                field: signature.fieldName, signer: signer?.subject, signingTime: Report.pdfDate(signature.claimedTime),
                timestamp: timestampTime.map(Report.timestamp), coversWholeDocument: coversWholeDocument,
                integrity: integrity, chain: chain, revocation: revocation, modificationsAfter: changes, verdict: verdict,
                reasons: findings.map { $0.phrase.text(language) }, reasonCodes: findings.map(\.code),
                subFilter: signature.subFilter, certification: signature.certificationLevel,
                type: isDocumentTimeStamp ? "document-timestamp" : "signature", timestampAuthority: authority,
                certificate: certificateUsed, revocationData: revocationData, existedAt: existedAt)
        }

        // 1. Structure, before any cryptography.
        guard let range = checkedRange(&findings) else {
            integrity = "malformed"
            return finish()
        }
        let end = range[2] + range[3]
        guard let revision = context.layout.revision(endingAt: end) else {
            findings.append(.rangeNotAtRevisionEnd)
            integrity = "malformed"
            return finish()
        }
        let signedDocument: QPDFDocument
        do {
            signedDocument = end == context.file.count ? context.current
                : try QPDFDocument(snapshot: context.file, length: end, recovery: false)
        } catch {
            findings.append(.signedRevisionUnreadable((error as? PDFError)?.detail ?? "\(error)"))
            integrity = "malformed"
            return finish()
        }
        guard let objectID = signature.objectID else {
            findings.append(.notIndirect)
            integrity = "malformed"
            return finish()
        }
        let declared = try? signedDocument.signatureDictionary(objectID: objectID)
        guard let declared, declared.byteRange == signature.byteRange, declared.contents == signature.contents else {
            findings.append(.notInSignedRevision)
            integrity = "malformed"
            return finish()
        }

        // 2. What changed after this revision.
        let isLast = revision == context.layout.revisions.count - 1
        coversWholeDocument = isLast && context.layout.trailingBytes == nil
        for later in context.layout.revisions[(revision + 1)...] {
            if let problem = later.problem { findings.append(.laterRevisionBroken(problem)) }
        }
        if context.layout.trailingBytes != nil { findings.append(.trailingBytes) }
        if !isLast {
            do {
                let found = try RevisionComparison.changes(from: signedDocument, to: context.current,
                                                           fileLength: context.file.count)
                changes = found.map { change in
                    let rule = policy.changes.rule(allowing: change, certification: context.certification, signature: signature)
                    return ChangeReport(object: change.objectID, action: change.action.rawValue, kind: change.kind.rawValue,
                                        what: change.role, page: change.page, field: change.field, allowed: rule != nil,
                                        rule: rule?.name)
                }
                // What qpdf ignored, repaired or recovered while reading the later revisions (an
                // object nested too deep, a duplicated key, a number out of range) another reader
                // reads otherwise: the comparison cannot vouch for it. Read after the comparison,
                // which has made qpdf read every object of both.
                let signedWarnings = Set(signedDocument.damageWarnings())
                var misread = context.current.damageWarnings().filter { !signedWarnings.contains($0) }
                // Cross-reference entries two readers resolve differently (an object listed
                // twice, an entry that names another object or generation than its offset holds).
                for later in (revision + 1)..<context.layout.revisions.count {
                    misread += context.crossReferenceAmbiguities[later] ?? []
                }
                let forbidden = zip(found, changes).filter { !$0.1.allowed }.map(\.0)
                if !forbidden.isEmpty { findings.append(.changesNotAllowed(forbidden)) }
                if !misread.isEmpty { findings.append(.laterRevisionMisread(misread)) }
                if forbidden.isEmpty, misread.isEmpty { findings.append(.partialCoverage) }
                let filled = Set(found.filter { $0.kind == .formFilled && !forbidden.contains($0) }.compactMap(\.field))
                if !filled.isEmpty { findings.append(.formFilled(filled.sorted())) }
            } catch {
                findings.append(.damaged("\(error)"))
            }
        }

        // 3. Cryptography.
        guard let contents = signature.contents else {
            findings.append(.contentsMissing)
            integrity = "malformed"
            return finish()
        }
        if isDocumentTimeStamp {
            var evidence: [RevocationEvidence] = []
            checkDocumentTimeStamp(contents, range: range, findings: &findings, integrity: &integrity, chain: &chain,
                                   revocation: &revocation, signer: &signer, time: &timestampTime, evidence: &evidence)
            authority = signer?.subject
            certificateUsed = signer.map(CertificateUsed.init)
            revocationData = evidence.map(RevocationDataUsed.init)
            existedAt = timestampTime.map { ExistenceReport($0, provenBy: "itself") }
            return finish()
        }
        switch signature.subFilter {
        case "/ETSI.CAdES.detached", "/adbe.pkcs7.detached":
            break
        case "/adbe.pkcs7.sha1", "/adbe.x509.rsa_sha1":
            findings.append(.legacyFormat(signature.subFilter ?? ""))
            return finish()
        default:
            findings.append(.subFilter(signature.subFilter))
            integrity = "malformed"
            return finish()
        }
        let cms: CMSSignatureInspection
        do { cms = try CMSSignatureInspection(contents: contents) } catch {
            findings.append(.cms(error.description))
            integrity = "malformed"
            return finish()
        }
        if !cms.paddingIsZero { findings.append(.paddingNotZero) }
        signer = cms.signerCertificate
        if cms.signerInfoCount > 1 { findings.append(.severalSignerInfos(cms.signerInfoCount, cms.signerCertificate?.subject)) }
        guard let algorithm = cms.digestAlgorithm else {
            findings.append(.unsupportedAlgorithm(cms.digestAlgorithmOID))
            integrity = "unknown"
            return finish()
        }
        if algorithm.isWeak { findings.append(.weakAlgorithm(algorithm.rawValue)) }
        let lowered = cms.signatureAlgorithm.lowercased()
        if lowered.contains("sha1") || lowered.contains("md5") { findings.append(.weakAlgorithm(cms.signatureAlgorithm)) }
        guard let digest = signedBytesDigest(range, algorithm) else {
            findings.append(.unsupportedAlgorithm(algorithm.rawValue))
            integrity = "unknown"
            return finish()
        }
        if cms.hasSignedAttributes {
            guard digest == cms.messageDigest else {
                findings.append(.digestMismatch)
                integrity = "broken"
                return finish()
            }
            if !cms.contentTypeIsData || !cms.encapsulatedContentTypeIsData { findings.append(.contentTypeWrong) }
        } else {
            // adbe.pkcs7.detached may sign the content's digest directly; PAdES may not.
            if signature.subFilter == "/ETSI.CAdES.detached" {
                findings.append(.signedAttributesMissing)
                integrity = "malformed"
                return finish()
            }
            if !cms.encapsulatedContentTypeIsData { findings.append(.contentTypeWrong) }
        }
        guard let signerCertificate = cms.signerCertificate else {
            findings.append(.signerCertificateMissing)
            return finish()
        }
        certificateUsed = CertificateUsed(signerCertificate)
        switch cms.verifyValue(contentDigest: digest) {
        case .verifies:
            break
        case .wrong:
            findings.append(cms.hasSignedAttributes ? .signatureValueWrong : .signatureValueWrongOverContent)
            integrity = "broken"
            return finish()
        case .unsupportedAlgorithm(let name):
            findings.append(.unsupportedAlgorithm(name))
            integrity = "unknown"
            return finish()
        }
        switch cms.signingCertificateMatches {
        case false?:
            findings.append(.signingCertificateMismatch)
            integrity = "broken"
        case nil where signature.subFilter == "/ETSI.CAdES.detached": findings.append(.signingCertificateMissing)
        default: break
        }
        if SigningCertificatePolicy().keyProblem(signerCertificate.publicKey) != nil {
            findings.append(.weakKey(signerCertificate.publicKey.description))
        }

        // 4. Time-stamp, then trust and revocation at the time it proves (or now).
        let pool = cms.certificates + context.storeCertificates
        let lists = cms.crls + context.storeLists
        if let token = cms.timeStampToken {
            let check = TimeStampCheck(token: token, over: cms.signatureValue, extraCertificates: pool)
            authority = check.signer?.subject
            if let problem = check.problem {
                findings.append(.timeStampBroken(problem))
            } else if let tsa = check.signer, let time = check.info?.time {
                let now = policy.at ?? Date()
                let path = validatedLater(what: .signatureTimeStamp, findings: &findings, now: now) { moment in
                    CertificatePathValidator.validate(tsa, intermediates: check.certificates + pool, anchors: policy.anchors,
                                                      at: moment, usage: .timeStamping)
                }
                if path.status == .trusted {
                    let status = RevocationChecker(lists: lists, responses: cms.ocspResponses + context.storeAnswers, fetcher: policy.fetcher).status(of: path.certificates, at: time)
                    switch status {
                    case .good: timestampTime = time
                    case .revoked(let subject, let date, _) where date > time: timestampTime = time
                        findings.append(.revokedLater(subject, date))
                    case .revoked(let subject, let date, let reason):
                        findings.append(.timeStampUntrusted(.revoked(subject, date, reason)))
                    case .unknown(let subject, let why):
                        findings.append(.timeStampUntrusted(.revocationUnknown(subject, why)))
                    }
                } else if let problem = Self.finding(for: path.status, time: now) {
                    findings.append(.timeStampUntrusted(problem))
                }
            }
        }
        // Without a time-stamp that holds, a later document time-stamp that proves the signature
        // existed stands in for it.
        let proven = timestampTime == nil ? existenceProof.flatMap { $0.time < (policy.at ?? Date()) ? $0 : nil } : nil
        if let proven { findings.append(.existenceProven(proven.field, proven.time, of: .signature)) }
        let validationTime = timestampTime ?? proven?.time ?? policy.at ?? Date()
        existedAt = timestampTime.map { ExistenceReport($0, provenBy: "signature-timestamp") }
            ?? proven.map { ExistenceReport($0.time, provenBy: "document-timestamp", field: $0.field) }
        let path = CertificatePathValidator.validate(signerCertificate, intermediates: pool, anchors: policy.anchors,
                                                     at: validationTime, usage: .signing)
        chain = Self.chainWord(path.status)
        if let finding = Self.finding(for: path.status, time: validationTime) {
            findings.append(finding)
            return finish()
        }
        let (status, evidence) = RevocationChecker(lists: lists, responses: cms.ocspResponses + context.storeAnswers, fetcher: policy.fetcher)
            .check(path.certificates, at: validationTime)
        revocationData = evidence.map(RevocationDataUsed.init)
        let outcome = Self.judge(status, at: validationTime, timeIsProven: timestampTime != nil || proven != nil)
        revocation = outcome.word
        findings += outcome.findings
        return finish()
    }

    /// What a revocation status means for a signature checked at `time`: a revocation after a
    /// time a time-stamp proves does not matter (it is noted); any other is fatal.
    static func judge(_ status: RevocationStatus, at time: Date, timeIsProven: Bool) -> (word: String, findings: [Finding]) {
        switch status {
        case .good:
            return ("good", [])
        case .revoked(let subject, let date, _) where date > time && timeIsProven:
            return ("good", [.revokedLater(subject, date)])
        case .revoked(let subject, let date, let reason):
            return ("revoked", [.revoked(subject, date, reason)])
        case .unknown(let subject, let why):
            return ("unknown", [.revocationUnknown(subject, why)])
        }
    }

    /// The /ByteRange after every structural check, or nil with the reason recorded.
    private func checkedRange(_ findings: inout [Finding]) -> [Int]? {
        guard let range = signature.byteRange else {
            findings.append(.byteRange(signature.byteRangeProblem ?? "it is missing"))
            return nil
        }
        let length = context.file.count
        guard range.count == 4 else { findings.append(.byteRange("it has \(range.count) numbers, not 4")); return nil }
        guard range.allSatisfy({ $0 >= 0 }) else { findings.append(.byteRange("it has a negative number")); return nil }
        guard range[0] == 0 else { findings.append(.byteRange("it does not start at the beginning of the file")); return nil }
        // Every number comes from the file: compared without arithmetic that could overflow.
        guard range[1] > 0, range[1] < length - 1, range[2] - range[1] >= 2, range[2] <= length,
              range[3] <= length - range[2] else {
            findings.append(.byteRange("it does not lie inside the file"))
            return nil
        }
        let bytes = context.file.bytes
        guard bytes[range[1]] == UInt8(ascii: "<"), bytes[range[2] - 1] == UInt8(ascii: ">"),
              let contents = signature.contents,
              Self.hexString(bytes[(range[1] + 1)..<(range[2] - 1)], equals: contents) else {
            findings.append(.gapIsNotContents)
            return nil
        }
        return range
    }

    /// Whether `digits` are hexadecimal digits only and spell exactly `value`.
    private static func hexString(_ digits: Slice<UnsafeRawBufferPointer>, equals value: [UInt8]) -> Bool {
        guard digits.count == value.count * 2 else { return false }
        return hexValues.withUnsafeBufferPointer { table in
            var index = digits.startIndex
            for byte in value {
                let high = table[Int(digits[index])], low = table[Int(digits[index + 1])]
                guard high != 0xFF, low != 0xFF, high << 4 | low == byte else { return false }
                index += 2
            }
            return true
        }
    }

    /// The digest of the two signed parts, read straight from the file's snapshot.
    private func signedBytesDigest(_ range: [Int], _ algorithm: DigestAlgorithm) -> [UInt8]? {
        let bytes = context.file.bytes
        let digest: MessageDigest
        if algorithm == .sha256, let prefix = try? context.prefixDigests[range[1]]?.copy() {
            digest = prefix
        } else {
            guard let fresh = try? MessageDigest(algorithm) else { return nil }
            fresh.update(UnsafeRawBufferPointer(rebasing: bytes[0..<range[1]]))
            digest = fresh
        }
        digest.update(UnsafeRawBufferPointer(rebasing: bytes[range[2]..<(range[2] + range[3])]))
        return digest.finish()
    }

    private func checkDocumentTimeStamp(_ contents: [UInt8], range: [Int], findings: inout [Finding], integrity: inout String,
                                        chain: inout String, revocation: inout String, signer: inout Certificate?,
                                        time: inout Date?, evidence: inout [RevocationEvidence]) {
        guard signature.subFilter == "/ETSI.RFC3161" else {
            findings.append(.subFilter(signature.subFilter))
            integrity = "malformed"
            return
        }
        guard let length = CMSSignatureInspection.derLength(contents), length <= contents.count else {
            findings.append(.cms("not DER"))
            integrity = "malformed"
            return
        }
        var signed: [UInt8] = []
        signed += context.file.slice(0..<range[1])
        signed += context.file.slice(range[2]..<(range[2] + range[3]))
        let check = TimeStampCheck(token: Array(contents[..<length]), over: signed, extraCertificates: context.storeCertificates)
        signer = check.signer
        if let problem = check.problem {
            findings.append(problem.contains("imprint") ? .digestMismatch : .cms(problem))
            integrity = "broken"
            return
        }
        guard let tsa = check.signer, let asserted = check.info?.time else { return }
        let now = policy.at ?? Date()
        let path = validatedLater(what: .documentTimeStamp, findings: &findings, now: now) { moment in
            CertificatePathValidator.validate(tsa, intermediates: check.certificates + context.storeCertificates,
                                              anchors: policy.anchors, at: moment, usage: .timeStamping)
        }
        chain = Self.chainWord(path.status)
        if let finding = Self.finding(for: path.status, time: now) {
            findings.append(finding)
            return
        }
        let (status, used) = RevocationChecker(lists: context.storeLists, responses: context.storeAnswers, fetcher: policy.fetcher)
            .check(path.certificates, at: asserted)
        evidence = used
        let outcome = Self.judge(status, at: asserted, timeIsProven: false)
        revocation = outcome.word
        findings += outcome.findings
        if revocation == "good" { time = asserted }
    }

    /// A time-stamp authority's path checked at `now`; when a certificate of it has expired by
    /// then and a later document time-stamp proves the time-stamp existed earlier, checked at
    /// that earlier time instead (and the report says which document time-stamp proved it).
    private func validatedLater(what: Finding.ProvenItem, findings: inout [Finding], now: Date,
                                validate: (Date) -> CertificatePath) -> CertificatePath {
        let path = validate(now)
        guard case .outsideValidity = path.status, let proof = existenceProof, proof.time < now else { return path }
        let earlier = validate(proof.time)
        guard earlier.status == .trusted else { return path }
        findings.append(.existenceProven(proof.field, proof.time, of: what))
        return earlier
    }

    static func chainWord(_ status: CertificatePath.Status) -> String {
        switch status {
        case .trusted: return "trusted"
        case .untrustedRoot: return "untrusted"
        case .incomplete: return "incomplete"
        case .outsideValidity: return "expired"
        case .wrongUsage: return "wrong-usage"
        case .failed: return "failed"
        }
    }

    static func finding(for status: CertificatePath.Status, time: Date) -> Finding? {
        switch status {
        case .trusted: return nil
        case .untrustedRoot(let subject): return .untrustedRoot(subject)
        case .incomplete(let subject): return .incompleteChain(subject)
        case .outsideValidity(let subject, let notAfter): return .outsideValidity(subject, notAfter, time)
        case .wrongUsage(let detail): return .wrongUsage(detail)
        case .failed(let detail): return .chainFailed(detail)
        }
    }
}
