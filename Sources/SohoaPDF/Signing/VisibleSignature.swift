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

/// What a visible signature shows: where its widget goes, chosen from what the page shows,
/// and the objects of its appearance stream (a Form XObject and the fonts and images it
/// uses), made once the update knows which object numbers are free.
public struct VisibleSignature: Sendable {
    /// Chooses the place, given what the page shows (page 1 unless the placement says another).
    public var place: @Sendable (PageInkMap) throws -> SignaturePlacement
    /// Makes the appearance's objects for a widget of `rect`; `allocate` gives unused object
    /// numbers. Returns the appearance Form XObject's number and every object to write.
    public var objects: @Sendable (_ rect: PDFRect, _ allocate: () -> Int) throws -> (appearance: Int, objects: [PDFObject])

    public init(place: @escaping @Sendable (PageInkMap) throws -> SignaturePlacement,
                objects: @escaping @Sendable (_ rect: PDFRect, _ allocate: () -> Int) throws -> (appearance: Int, objects: [PDFObject])) {
        self.place = place
        self.objects = objects
    }
}
