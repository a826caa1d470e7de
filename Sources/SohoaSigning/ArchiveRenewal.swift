import Foundation
import SohoaCrypto
import SohoaFiles
import SohoaPDF

/// Renews the evidence a signed PDF carries (an archive time-stamp, PAdES B-LTA): first the
/// validation data for everything the file already holds — every signature's and every
/// time-stamp's chain, with current CRLs or OCSP answers — then a document time-stamp over the
/// whole file, which proves that data existed while it could still be checked. Both are
/// incremental updates: nothing that was signed changes, and every earlier signature stays
/// intact.
public struct ArchiveRenewal: Sendable {
    public let validationData: ValidationDataCollector
    public let stamper: DocumentTimeStamper
    /// Certificates that complete chains a file does not carry whole (the trust anchors).
    public let anchors: [Certificate]

    public init(validationData: ValidationDataCollector, stamper: DocumentTimeStamper, anchors: [Certificate] = []) {
        self.validationData = validationData
        self.stamper = stamper
        self.anchors = anchors
    }

    /// What a renewal added.
    public struct Renewed: Sendable {
        /// Bytes appended (validation data and the document time-stamp).
        public let bytesAdded: Int
        /// The time the new document time-stamp proves.
        public let time: Date?
    }

    /// The renewed document for `document` (given whole, as a repository version is).
    public func renew(_ document: [UInt8], name: String) throws -> (bytes: [UInt8], renewed: Renewed) {
        let material = try validationData.material(chains: try chains(in: try QPDFDocument(bytes: document, name: name)))
        var renewed = document
        renewed += try ValidationDataUpdate.make(.bytes(renewed, name: name), adding: material)
        let stamped = try stamper.update(for: renewed, name: name)
        renewed += stamped.update
        return (renewed, Renewed(bytesAdded: renewed.count - document.count, time: try? TimeStampToken(der: stamped.token).info.time))
    }

    /// Renews the file at `path` in place. The updates are written to a copy beside it, which
    /// replaces the file only once complete and on disk (`DurableFile.replace`): a renewal cut
    /// short leaves the file as it was.
    public func renew(fileAt path: String) throws -> Renewed {
        let material = try validationData.material(chains: try chains(in: try QPDFDocument(path: path)))
        return try DurableFile.replace(path) { copy in
            do { try FileManager.default.copyItem(atPath: path, toPath: copy) } catch {
                throw SigningError("\(path): a working copy cannot be written beside it (\(error.localizedDescription))")
            }
            guard let writer = FileHandle(forWritingAtPath: copy) else { throw SigningError("\(copy): the working copy cannot be opened") }
            defer { try? writer.close() }
            let before = try writer.seekToEnd()
            try writer.write(contentsOf: try ValidationDataUpdate.make(.file(copy), adding: material))
            try writer.synchronize()
            let stamped = try stamper.update(forFileAt: copy)
            try writer.write(contentsOf: stamped.update)
            return Renewed(bytesAdded: Int(try writer.offset() - before), time: try? TimeStampToken(der: stamped.token).info.time)
        }
    }

    /// Every certificate the document's signatures and time-stamps carry (with the anchors,
    /// which complete their chains); a document with none is refused.
    func chains(in document: QPDFDocument) throws -> [Certificate] {
        let signatures = try document.signatureDictionaries()
        guard !signatures.isEmpty else {
            throw SigningError("\(document.name): it has no signature, so there is nothing to keep verifiable")
        }
        var certificates: [Certificate] = []
        for signature in signatures where signature.contents != nil {
            guard let carried = signature.carried() else {
                throw SigningError("\(document.name): the \(signature.isDocumentTimeStamp ? "document time-stamp" : "signature") "
                                   + "\(signature.fieldName) cannot be read")
            }
            certificates += carried.certificates + (carried.token?.certificates ?? [])
        }
        // Only the anchors that issue one of them: a trust list holds many the file has nothing to do with.
        return certificates + anchors.filter { anchor in certificates.contains { $0.isIssued(by: anchor) } }
    }
}
