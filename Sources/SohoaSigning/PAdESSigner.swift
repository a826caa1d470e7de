import Foundation
import SohoaCrypto
import SohoaPDF

/// Signs PDFs as PAdES baseline: B-B, B-T with a time-stamp authority, B-LT (B-T followed by
/// the certificates and revocation lists of both chains in the document's DSS), or B-LTA (B-LT
/// followed by a document time-stamp over the whole file).
///
/// Every signature is an incremental update: a second signature (an approver's) leaves the
/// first intact. The space for the signature is reserved from the real certificate chain and
/// the expected size of a time-stamp token, with a margin; a signature that would not fit is
/// an error, never cut short.
public struct PAdESSigner: Sendable {
    public let signer: any Signer
    public let role: SigningRole
    /// Gets an RFC 3161 token over a signature value (nil: B-B, no time-stamp).
    public let timeStamper: (@Sendable ([UInt8]) throws -> [UInt8])?
    /// Written into /Reason; the role's default when nil.
    public let reason: String?
    /// Certify the document (DocMDP P=2): afterwards only form filling and further signatures
    /// (the approver's) are allowed.
    public let certify: Bool
    /// B-LT: gathers the validation material appended after each signature (nil: none).
    public let validationData: ValidationDataCollector?
    /// B-LTA: time-stamps the whole file after the validation material (nil: no document time-stamp).
    public let documentTimeStamper: DocumentTimeStamper?
    /// The block drawn on page 1 (nil: an invisible signature).
    public private(set) var visibleBlock: VisibleBlock?

    public init(signer: any Signer, role: SigningRole = .officer, reason: String? = nil, certify: Bool = false,
                timeStamper: (@Sendable ([UInt8]) throws -> [UInt8])? = nil,
                validationData: ValidationDataCollector? = nil, documentTimeStamper: DocumentTimeStamper? = nil,
                visibleBlock: VisibleBlock? = nil) {
        self.signer = signer
        self.role = role
        self.reason = reason
        self.certify = certify
        self.timeStamper = timeStamper
        self.validationData = validationData
        self.documentTimeStamper = documentTimeStamper
        self.visibleBlock = visibleBlock
    }

    /// A copy whose visible signature also draws a QR code carrying `text` at the page's foot
    /// (nothing changes for an invisible signature).
    public func withQRCode(_ text: String?) -> PAdESSigner {
        var copy = self
        copy.visibleBlock = visibleBlock?.withQRCode(text)
        return copy
    }

    /// A copy whose visible signature places its block by the strokes page 1 records, when
    /// `trusted`: for a document known to come from Sohoa's assembler unchanged (see
    /// `VisibleBlock.trustsRecordedInk`).
    public func trustingRecordedInk(_ trusted: Bool) -> PAdESSigner {
        var copy = self
        copy.visibleBlock = visibleBlock?.trustingRecordedInk(trusted)
        return copy
    }

    /// Bytes reserved for the CMS: the certificates, the signature value and attributes, a
    /// time-stamp token when there will be one, and a margin of a quarter and 2 KiB.
    public var capacity: Int {
        let certificates = ([signer.certificate] + signer.chain).reduce(0) { $0 + $1.derBytes.count }
        let token = timeStamper == nil ? 0 : 8192
        let estimate = certificates + 1024 + token
        return estimate + estimate / 4 + 2048
    }

    /// The signed document for `original`, signed now.
    public func sign(_ original: [UInt8], name: String, at time: Date = Date()) throws -> [UInt8] {
        let prepared = try prepare(.bytes(original, name: name), at: time)
        var hasher = SHA256Hasher()
        hasher.update(original)
        let signed = try finish(prepared, hashing: hasher)
        var document = original + signed.update
        if let material = signed.material {
            document += try ValidationDataUpdate.make(.bytes(document, name: name), adding: material)
        }
        if let documentTimeStamper { document += try documentTimeStamper.update(for: document, name: name).update }
        return document
    }

    /// Signs the PDF at `input` into `output` (a new file), reading the input once in 1 MiB
    /// blocks: memory stays flat however large the document is. With `expected` (the input's
    /// SHA-256 as a repository records it), the bytes read are checked against it before
    /// anything is signed: a stored copy that changed is never signed.
    ///
    /// - Returns: what was written: its SHA-256 and the time its time-stamp proves.
    /// - Throws: `SigningError` of kind `inputChanged` when the input is not the file `expected` names.
    @discardableResult
    public func sign(fileAt input: String, writingTo output: String, at time: Date = Date(), expected: [UInt8]? = nil) throws -> SignedFile {
        let prepared = try prepare(.file(input), at: time)
        guard let reader = FileHandle(forReadingAtPath: input) else { throw SigningError("\(input): the file cannot be read") }
        defer { try? reader.close() }
        guard FileManager.default.createFile(atPath: output, contents: nil),
              let writer = FileHandle(forWritingAtPath: output) else {
            throw SigningError("\(output): the signed copy cannot be created")
        }
        defer { try? writer.close() }
        // The original is hashed once: the signature's digest, the whole signed file's (for the
        // batch's report and the repository) and the check against `expected` all go on from it.
        var hasher = SHA256Hasher()
        var copied = 0
        while copied < prepared.originalLength,
              let block = try reader.read(upToCount: min(1 << 20, prepared.originalLength - copied)), !block.isEmpty {
            hasher.update(block)
            try writer.write(contentsOf: block)
            copied += block.count
        }
        guard copied == prepared.originalLength else { throw SigningError("\(input): the file changed while it was signed") }
        if let expected {
            let extra = try reader.readToEnd() ?? Data()
            var whole = hasher.copy()
            whole.update(extra)
            guard whole.finish() == expected else {
                throw SigningError("\(input): the file is not the version to sign (its SHA-256 differs from the one recorded); "
                                   + "nothing was signed", kind: .inputChanged)
            }
        }
        var written = hasher.copy()  // the whole signed file
        let signed = try finish(prepared, hashing: hasher)
        try writer.write(contentsOf: signed.update)
        written.update(signed.update)
        if let material = signed.material {
            try writer.synchronize()
            let validationData = try ValidationDataUpdate.make(.file(output), adding: material)
            try writer.write(contentsOf: validationData)
            written.update(validationData)
        }
        if let documentTimeStamper {
            try writer.synchronize()
            let stamped = try documentTimeStamper.update(forFileAt: output)
            try writer.write(contentsOf: stamped.update)
            written.update(stamped.update)
        }
        try writer.synchronize()
        return SignedFile(sha256: written.finish(), signingTime: time,
                          timeStampTime: signed.token.flatMap { TimeStampToken.generationTime(der: $0) },
                          placements: prepared.placements)
    }

    private func prepare(_ source: PDFSource, at time: Date) throws -> PreparedSignature {
        try SignaturePreparer.prepare(source, request: SignatureRequest(
            signingTime: time, reason: reason ?? role.defaultReason, capacity: capacity,
            certifyPermissions: certify ? 2 : nil, appearance: try visibleBlock?.visibleSignature(signedAt: time)))
    }

    /// Hashes the signed parts of the update after the original, signs, and returns the update
    /// with the signature in place, and for B-LT the material to add after it.
    private func finish(_ prepared: PreparedSignature, hashing hasher: consuming SHA256Hasher) throws
        -> (update: [UInt8], material: ValidationMaterial?, token: [UInt8]?) {
        for part in prepared.signedUpdateParts { part.withUnsafeBytes { hasher.update($0) } }
        let digest = hasher.finish()
        var token: [UInt8]?
        let cms = try DetachedSignature.make(contentDigest: digest, signer: signer,
                                             timeStamp: timeStamper.map { stamp in { value in
                                                 token = try stamp(value)
                                                 return token
                                             } })
        let update = try prepared.filledUpdate(with: cms)
        return (update, try validationData?.material(signer: signer, timeStampToken: token), token)
    }
}

/// What signing one file wrote.
public struct SignedFile: Sendable, Equatable {
    /// SHA-256 of the signed file as written.
    public let sha256: [UInt8]
    /// The claimed signing time (the signature dictionary's `/M`).
    public let signingTime: Date
    /// The time the signature's time-stamp proves; nil without a time-stamp authority.
    public let timeStampTime: Date?
    /// Where the visible block went, and the QR code when there is one; empty for an invisible signature.
    public let placements: [SignaturePlacement]

    public init(sha256: [UInt8], signingTime: Date, timeStampTime: Date?, placements: [SignaturePlacement] = []) {
        self.sha256 = sha256
        self.signingTime = signingTime
        self.timeStampTime = timeStampTime
        self.placements = placements
    }
}
