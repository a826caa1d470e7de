/// Where a visible signature's widget went, and by which rule (for reports).
public struct SignaturePlacement: Sendable, Equatable {
    /// The page (0-based).
    public var pageIndex: Int
    /// The widget's rectangle, in the page's default user space.
    public var rect: PDFRect
    /// How the place was chosen, in words.
    public var rule: String

    public init(pageIndex: Int, rect: PDFRect, rule: String) {
        self.pageIndex = pageIndex
        self.rect = rect
        self.rule = rule
    }
}

/// What a visible signature shows on page 1: its widget (the signature block), and what the
/// signer adds to the page itself in the same update (a QR code at the page's foot), each
/// placed from what the page shows and drawn by objects made once the update knows which
/// object numbers are free.
///
/// What is added to the page is covered by this very signature, like everything before it: it
/// is added only to a document no one has signed yet (an earlier signature would not allow it).
public struct VisibleSignature: Sendable {
    /// One drawing: where it goes and what it draws.
    public struct Widget: Sendable {
        /// Chooses the place, given what page 1 shows and where the earlier widgets went; nil
        /// leaves an optional widget out (the first, main one must have a place).
        public var place: @Sendable (PageInkMap, [SignaturePlacement]) throws -> SignaturePlacement?
        /// Makes the appearance's objects for a widget of `rect`; `allocate` gives unused
        /// object numbers. Returns the appearance Form XObject's number and every object.
        public var objects: @Sendable (_ rect: PDFRect, _ allocate: () -> Int) throws -> (appearance: Int, objects: [PDFObject])
        /// The part of a page (given its visible box) where `place` may look; nil for anywhere.
        /// The page is read closely only there (its scan decoded only as far down as needed).
        public var searchArea: @Sendable (_ pageBox: PDFRect) -> PDFRect?

        public init(place: @escaping @Sendable (PageInkMap, [SignaturePlacement]) throws -> SignaturePlacement?,
                    objects: @escaping @Sendable (_ rect: PDFRect, _ allocate: () -> Int) throws -> (appearance: Int, objects: [PDFObject]),
                    searchArea: @escaping @Sendable (_ pageBox: PDFRect) -> PDFRect? = { _ in nil }) {
            self.place = place
            self.objects = objects
            self.searchArea = searchArea
        }
    }

    /// The signature's widget (the block).
    public var widget: Widget
    /// Drawn into page 1's content before signing (a QR code), when the document has no signature yet.
    public var pageDrawings: [Widget]
    /// Where page 1 records its scan's strokes, place by the record instead of decoding the
    /// scan (see `PageInkMap`): only for a document known to come from Sohoa's assembler unchanged.
    public var trustsRecordedInk: Bool

    public init(widget: Widget, pageDrawings: [Widget] = [], trustsRecordedInk: Bool = false) {
        self.widget = widget
        self.pageDrawings = pageDrawings
        self.trustsRecordedInk = trustsRecordedInk
    }
}
