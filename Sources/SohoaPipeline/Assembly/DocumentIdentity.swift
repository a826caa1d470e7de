import Foundation
import SohoaCrypto
import SohoaPDF

/// What makes an assembled document, reduced to its PDF identifier (the trailer's /ID, 16
/// bytes): the version of Sohoa that made it, its metadata (which names every source file with
/// its SHA-256), whether PDF/A was asked for, and each page as placed — its source and page in
/// it, its size and turn, its image's form (size, depth, colours, filter, length) and its text
/// layer's bytes. The same scans with the same options give the same identifier, so the same
/// file; anything that changes the document changes it. The image bytes themselves are not
/// hashed again: they follow from the sources, whose hashes are in the metadata.
struct DocumentIdentity {
    private var description: [UInt8] = []

    mutating func addPage(source: String, index: Int, image: PDFPageImage, width: Double, height: Double,
                          placement: PDFImagePlacement, textLayer: [UInt8]?) {
        let line = "page \(source)#\(index) \(width)x\(height) \(placement.rawValue) image \(image.width)x\(image.height)x"
            + "\(image.bitsPerComponent) \(image.colourSpace) \(image.filter) \(image.data.count) mask \(image.softMask?.count ?? -1) "
            + "text \(textLayer?.count ?? -1)\n"
        description += Array(line.utf8)
        if let textLayer { description += SHA256.digest(textLayer) }
    }

    func identifier(metadata: PDFMetadata, pdfa: Bool) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(Array("Sohoa \(SohoaVersion.current) pdfa \(pdfa)\n".utf8))
        let fields = [metadata.title ?? "-", metadata.documentType ?? "-", metadata.keywords.joined(separator: ","),
                      metadata.creatorTool, metadata.producer, metadata.creationDate ?? "-"]
            + metadata.sources.map { "\($0.name)=\($0.sha256)" } + metadata.extraInfo.map { "\($0.key)=\($0.value)" }
        hasher.update(Array(fields.joined(separator: "\n").utf8))
        hasher.update(description)
        return Array(hasher.finish().prefix(16))
    }
}
