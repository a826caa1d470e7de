import CQPDF

/// Where one page of a document shows something (text, drawings, images' non-blank pixels,
/// visible annotations), for placing a signature block where it covers nothing and for
/// checking that a later signature's appearance does not cover what an earlier one signed.
public struct PageInkMap {
    private let ink: PageInk
    /// Kept open while the map is used: the marks refer to its objects.
    private let document: QPDFDocument

    /// Reads page `pageIndex` (0-based) of `document`. With `region` (given the page's visible
    /// box, the part of it that questions will be about), only questions within that part are
    /// answered closely: the page's scans may be decoded only as far down as it reaches, and
    /// what lies beyond counts as ink.
    ///
    /// - Throws: `PDFError` when the document has no such page.
    public init(document: QPDFDocument, pageIndex: Int, region: (_ pageBox: PDFRect) -> PDFRect? = { _ in nil }) throws {
        self.document = document
        let access = try ObjectAccess(document)
        guard pageIndex >= 0, pageIndex < access.pageCount() else {
            throw PDFError(file: document.name, reason: "the document has no page \(pageIndex + 1)")
        }
        let images = ImageInkCache()
        ink = PageInk(access: access, page: qpdf_get_page_n(access.q, pageIndex), images: images)
        // Images are looked at when first asked about, so the region is known in time.
        images.region = region(ink.pageBox)
    }

    /// The page's visible area (its crop box within its media box).
    public var pageBox: PDFRect { ink.pageBox }

    /// Whether the page could be read closely: false when something on it (a damaged or too
    /// large content stream, a shading) made the whole page count as inked.
    public var isCertain: Bool { ink.isCertain }

    /// Where within `rect` the page shows something, nil when it shows nothing there.
    public func ink(within rect: PDFRect) -> PDFRect? { ink.ink(within: rect) }
}
