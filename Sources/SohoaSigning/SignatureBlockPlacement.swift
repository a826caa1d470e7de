import SohoaCrypto
import SohoaPDF

/// Where a signature block goes on its page: in its corner of the top band, on blank paper.
///
/// The rule, in order: the block's corner of the page (top left for the digitizer, top right
/// for the agency), as close to the corner as the page is blank, moving down the top quarter
/// of the page and across it (a small page has no room for two blocks side by side, and the
/// second then goes below the first); a smaller block where the larger one finds no blank
/// place. A place is blank when the page shows nothing there or within 3 pt of it (no text,
/// drawing, earlier signature block, or ink of the scanned image; specks of dust aside). Where
/// no size finds one, nothing is signed: the block never covers the document.
public enum SignatureBlockPlacement {
    public enum Corner: String, Sendable {
        case topLeft = "top-left"
        case topRight = "top-right"
        /// For a QR code: the page's foot, from the right.
        case bottomRight = "bottom-right"
    }

    /// Space kept from the page's edges, and around the block.
    static let edgeMargin = 10.0
    static let clearance = 3.0
    /// Steps of the search, in points.
    static let step = 4.0

    /// The part of a page (of visible box `box`) where `place` looks for one of `sizes` in
    /// `corner`, with the clearance around it: the page is read closely there only.
    public static func searchArea(sizes: [(width: Double, height: Double)], corner: Corner, in box: PDFRect) -> PDFRect {
        let tallest = sizes.map(\.height).max() ?? 0
        if corner == .bottomRight {
            return PDFRect(minX: box.minX, minY: box.minY, maxX: box.maxX,
                           maxY: min(box.maxY, box.minY + box.height / 4 + tallest + clearance + 1))
        }
        return PDFRect(minX: box.minX, minY: max(box.minY, box.maxY - box.height / 4 - clearance - 1), maxX: box.maxX, maxY: box.maxY)
    }

    /// The first blank place for one of `sizes` (largest first) in `corner` of `page`, clear of
    /// the widgets already placed (`avoiding`).
    ///
    /// - Throws: `SigningError` naming the corner and the sizes tried when there is none.
    public static func place(sizes: [(width: Double, height: Double)], corner: Corner, on page: PageInkMap,
                             avoiding placed: [SignaturePlacement] = [], what: String = "signature block") throws -> SignaturePlacement {
        let box = page.pageBox
        for (index, size) in sizes.enumerated() {
            // The band: the top quarter for a block, the bottom quarter for a QR code.
            let fromTop = corner != .bottomRight
            var distance = edgeMargin
            while distance + size.height <= box.height / 4 + (fromTop ? 0 : size.height) {
                let y = fromTop ? box.maxY - distance - size.height : box.minY + distance
                var offset = 0.0
                let rightward = corner == .topLeft
                while offset <= box.width - size.width - 2 * edgeMargin {
                    let x = rightward ? box.minX + edgeMargin + offset : box.maxX - edgeMargin - size.width - offset
                    let rect = PDFRect(x: x, y: y, width: size.width, height: size.height)
                    let around = rect.inset(by: -clearance)
                    if let reach = page.inkReach(within: around, rightward: rightward) {
                        // The places on from here that would still hold this ink are inked too: the next one asked
                        // about is the first past it (the same place as asking each in turn finds).
                        let needed = rightward ? reach - around.minX : around.maxX - reach
                        offset += max(step, (needed / step).rounded(.up) * step)
                        continue
                    }
                    if !placed.contains(where: { $0.rect.intersects(around) }) {
                        let smaller = index == 0 ? "" : ", at a smaller size (\(Int(size.width)) × \(Int(size.height)) pt)"
                        let edge = fromTop ? "top" : "bottom"
                        return SignaturePlacement(pageIndex: 0, rect: rect,
                                                  rule: "\(corner.rawValue) of page 1, on blank paper \(Int(distance)) pt from the \(edge) edge\(smaller)")
                    }
                    offset += step
                }
                distance += step
            }
        }
        guard page.isCertain else {
            throw SigningError("page 1 cannot be read closely enough to find blank paper for the \(what) (its "
                               + "content is damaged, too large, or drawn in a way Sohoa does not measure). Nothing was "
                               + "signed; sign with --invisible to sign without a block")
        }
        let tried = sizes.map { "\(Int($0.width)) × \(Int($0.height)) pt" }.joined(separator: ", ")
        let band = corner == .bottomRight ? "bottom" : "top"
        throw SigningError("page 1 has no blank place in its \(band) quarter for the \(what) (tried \(tried)): it would cover the "
                           + "document. Nothing was signed; sign with --invisible to sign without a block")
    }
}
