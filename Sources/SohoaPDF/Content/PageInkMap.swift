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
    /// With `trustingRecordedInk`, where the page records its scan's strokes (`RecordedInk`:
    /// Sohoa's assembler does for page 1), the record is used instead of decoding the scan, and,
    /// where it says the page's content draws only the scan, instead of reading the content.
    /// Only for a document the caller knows Sohoa assembled and nobody changed since (a
    /// repository's version checked against its hash): anyone can write such a record.
    ///
    /// - Throws: `PDFError` when the document has no such page.
    public init(document: QPDFDocument, pageIndex: Int, trustingRecordedInk: Bool = false,
                region: (_ pageBox: PDFRect) -> PDFRect? = { _ in nil }) throws {
        self.document = document
        let access = try ObjectAccess(document)
        guard pageIndex >= 0, pageIndex < access.pageCount() else {
            throw PDFError(file: document.name, reason: "the document has no page \(pageIndex + 1)")
        }
        let images = ImageInkCache()
        let page = qpdf_get_page_n(access.q, pageIndex)
        let record = trustingRecordedInk ? RecordedInk.read(page: page, access: access) : nil
        if let record { images.recorded[record.image] = record.strokes }
        usesRecordedInk = record != nil
        ink = PageInk(access: access, page: page, images: images, drawing: record?.onlyDrawing)
        // Images are looked at when first asked about, so the region is known in time.
        images.region = region(ink.pageBox)
    }

    /// Whether the page's recorded strokes are used (trusted, and found well formed).
    public let usesRecordedInk: Bool

    /// The page's visible area (its crop box within its media box).
    public var pageBox: PDFRect { ink.pageBox }

    /// Whether the page could be read closely: false when something on it (a damaged or too
    /// large content stream, a shading) made the whole page count as inked.
    public var isCertain: Bool { ink.isCertain }

    /// Where within `rect` the page shows something, nil when it shows nothing there.
    public func ink(within rect: PDFRect) -> PDFRect? { ink.ink(within: rect) }

    /// For a search that slides a rectangle across the page at one height, to the right
    /// (`rightward`) or to the left: nil when the page shows nothing within `rect`, else a page
    /// x: every rectangle of that height whose left edge (moving right) is left of it, or whose
    /// right edge (moving left) is right of it, shows something too, and need not be asked about.
    public func inkReach(within rect: PDFRect, rightward: Bool) -> Double? { ink.inkReach(within: rect, rightward: rightward) }
}
