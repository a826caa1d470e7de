import Foundation
import SohoaAppearance
import SohoaCrypto
import SohoaFiles
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
    /// Text for the QR code (ISO/IEC 18004) drawn at the page's foot with the officer's
    /// signature (`withQRCode`), nil for none.
    public private(set) var qrText: String?
    /// Place the block by the strokes page 1 records (`PageInkMap`) instead of decoding its
    /// scan: only for a document known to come from Sohoa's assembler unchanged.
    public private(set) var trustsRecordedInk = false

    /// The block's sizes, largest first: a smaller one is tried where the larger does not fit
    /// on blank paper; the text shrinks (to 6 pt at the least) to fit the block.
    public static let sizes: [(width: Double, height: Double)] = [(230, 54), (230, 46), (210, 40), (200, 34)]

    public init(role: SigningRole, signer: Certificate, agency: String? = nil, seal: SealImage? = nil, qrText: String? = nil) {
        let name = DistinguishedName(signer.subject)
        self.init(role: role, signerName: name.first("CN") ?? signer.subject, agency: agency ?? name.first("O"), seal: seal,
                  qrText: qrText)
    }

    /// ISO 8601 in Vietnam's time (UTC+7), to the second.
    public static func vietnamTime(_ date: Date) -> String {
        ISO8601Text.string(date, offsetSeconds: 7 * 3600)
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

    /// The QR code's module sizes, largest first: 0.5 mm (1.42 pt) at the least, which a phone
    /// camera reads from a 200-dpi print.
    public static let qrModuleSizes: [Double] = [2.0, 1.7, 1.42]

    /// A copy whose QR code (at the page's foot) carries `text`; nil for none.
    public func withQRCode(_ text: String?) -> VisibleBlock {
        var copy = self
        copy.qrText = text
        return copy
    }

    /// A copy that places by page 1's recorded strokes when `trusted` (see `trustsRecordedInk`).
    public func trustingRecordedInk(_ trusted: Bool) -> VisibleBlock {
        var copy = self
        copy.trustsRecordedInk = trusted
        return copy
    }

    private init(role: SigningRole, signerName: String, agency: String?, seal: SealImage?, qrText: String?) {
        self.role = role
        self.signerName = signerName
        self.agency = agency
        self.seal = seal
        self.qrText = qrText
    }

    /// The block's appearance, placed on page 1 where the page is blank, and the QR code's at
    /// the page's foot when there is one.
    public func visibleSignature(signedAt time: Date) throws -> VisibleSignature {
        let style = try SignatureStyle.liberationSerif()
        let lines = lines(signedAt: time)
        // The sizes whose text fits (it shrinks to 6 pt at the least), known before placing.
        var fitting: [(width: Double, height: Double)] = []
        var firstError: AppearanceError?
        for size in Self.sizes {
            let block = SignatureBlock(width: size.width, height: size.height, lines: lines, seal: seal, style: style)
            do { _ = try block.layout(); fitting.append(size) } catch { firstError = firstError ?? error }
        }
        guard !fitting.isEmpty else { throw SigningError("the signature block cannot be drawn: \(firstError.map { "\($0)" } ?? "")") }
        let corner: SignatureBlockPlacement.Corner = role == .officer ? .topLeft : .topRight
        let what = role == .officer ? "officer's signature block" : "approver's signature block"
        let seal = self.seal, sizes = fitting
        let block = VisibleSignature.Widget(place: { page, placed in
            try SignatureBlockPlacement.place(sizes: sizes, corner: corner, on: page, avoiding: placed, what: what)
        }, objects: { rect, allocate in
            try SignatureBlock(width: rect.width, height: rect.height, lines: lines, seal: seal, style: style)
                .makeObjects(allocate: allocate)
        }, searchArea: { box in SignatureBlockPlacement.searchArea(sizes: sizes, corner: corner, in: box) })
        var drawings: [VisibleSignature.Widget] = []
        if let qrText {
            let symbol = try QRSymbol(text: qrText)
            let squares = Self.qrModuleSizes.map { module in
                let side = Double(symbol.sizeWithQuietZone) * module
                return (width: side, height: side)
            }
            // The QR code is part of the page the officer signs (drawn into page 1's content in the
            // signature's own update, so the signature covers it). It is optional (Decree 137/2024
            // art. 4): where the page's foot has no blank place for it, or the document is signed
            // already, the document is signed without it (and the report's qrCode is null).
            drawings.append(VisibleSignature.Widget(place: { page, placed in
                try? SignatureBlockPlacement.place(sizes: squares, corner: .bottomRight, on: page, avoiding: placed, what: "QR code")
            }, objects: { rect, allocate in
                try QRAppearance(symbol: symbol, moduleSize: rect.width / Double(symbol.sizeWithQuietZone))
                    .makeObjects(allocate: allocate)
            }, searchArea: { box in SignatureBlockPlacement.searchArea(sizes: squares, corner: .bottomRight, in: box) }))
        }
        return VisibleSignature(widget: block, pageDrawings: drawings, trustsRecordedInk: trustsRecordedInk)
    }
}
