import Foundation
import SohoaAppearance
import SohoaCrypto
import SohoaPDF

/// The visible signature block a role draws on page 1, as the rules ask (SPEC "Rules of the
/// land"): the digitizer's at the top left with the signer's name, role and signing time and
/// the mark that the document was converted from paper, by whom and when; the agency's at the
/// top right with the agency's name, the signing time and optionally its seal. Times are ISO
/// 8601 with Vietnam's offset (+07:00).
public struct VisibleBlock: Sendable {
    public let role: SigningRole
    /// The signer's name (the certificate's common name).
    public let signerName: String
    /// The agency's name, for an approver (the certificate's organisation unless given).
    public let agency: String?
    /// The agency's seal, drawn over the block's left third.
    public let seal: SealImage?
    /// Text for a QR code in the block (ISO/IEC 18004), nil for none.
    public let qrText: String?

    /// The block's sizes, largest first: a smaller one is tried where the larger does not fit
    /// on blank paper; the text shrinks (to 6 pt at the least) to fit the block.
    public static let sizes: [(width: Double, height: Double)] = [(230, 54), (230, 46), (210, 40), (200, 34)]

    public init(role: SigningRole, signer: Certificate, agency: String? = nil, seal: SealImage? = nil, qrText: String? = nil) {
        let name = DistinguishedName(signer.subject)
        self.role = role
        signerName = name.first("CN") ?? signer.subject
        self.agency = agency ?? name.first("O")
        self.seal = seal
        self.qrText = qrText
    }

    /// ISO 8601 in Vietnam's time (UTC+7), to the second.
    public static func vietnamTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return formatter.string(from: date)
    }

    /// The lines of the block, for a signature made at `time`.
    public func lines(signedAt time: Date) -> [SignatureBlock.Line] {
        let when = Self.vietnamTime(time)
        switch role {
        case .officer:
            // Who converted the paper (the signer) and when (the signing time) with the mark itself.
            return [SignatureBlock.Line("Người ký: \(signerName)", bold: true),
                    SignatureBlock.Line("Cán bộ số hóa — bản số hóa từ bản giấy"),
                    SignatureBlock.Line("Thời gian ký: \(when)")]
        case .approver:
            return [SignatureBlock.Line(agency ?? signerName, bold: true),
                    SignatureBlock.Line("Người ký: \(signerName)"),
                    SignatureBlock.Line("Thời gian ký: \(when)")]
        }
    }

    /// The block's appearance, placed on page 1 where the page is blank.
    public func visibleSignature(signedAt time: Date) throws -> VisibleSignature {
        let style = try SignatureStyle.liberationSerif()
        let qrCode = try qrText.map { text throws(AppearanceError) in try QRSymbol(text: text) }
        let lines = lines(signedAt: time)
        // The sizes whose text fits (it shrinks to 6 pt at the least), known before placing.
        var fitting: [(width: Double, height: Double)] = []
        var firstError: AppearanceError?
        for size in Self.sizes {
            let block = SignatureBlock(width: size.width, height: size.height, lines: lines, seal: seal, qrCode: qrCode, style: style)
            do { _ = try block.layout(); fitting.append(size) } catch { firstError = firstError ?? error }
        }
        guard !fitting.isEmpty else { throw SigningError("the signature block cannot be drawn: \(firstError.map { "\($0)" } ?? "")") }
        let corner: SignatureBlockPlacement.Corner = role == .officer ? .topLeft : .topRight
        let seal = self.seal, sizes = fitting
        return VisibleSignature(place: { page in
            try SignatureBlockPlacement.place(sizes: sizes, corner: corner, on: page)
        }, objects: { rect, allocate in
            let block = SignatureBlock(width: rect.width, height: rect.height, lines: lines, seal: seal, qrCode: qrCode, style: style)
            return try block.makeObjects(allocate: allocate)
        })
    }
}
