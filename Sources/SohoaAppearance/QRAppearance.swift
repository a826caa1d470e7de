import SohoaPDF

/// A QR code on its own, as a Form XObject: the symbol and its quiet zone on a white square.
public struct QRAppearance: Sendable {
    /// The smallest module size accepted, in points: 0.5 mm, which a phone reads and which
    /// decodes from a 200-dpi scan.
    public static let minimumModuleSize = 1.42

    public let symbol: QRSymbol
    /// The side of one module, in points.
    public let moduleSize: Double

    /// - Throws: `AppearanceError` when `moduleSize` is below `minimumModuleSize` or above 20 pt.
    public init(symbol: QRSymbol, moduleSize: Double = 2) throws(AppearanceError) {
        guard moduleSize.isFinite, (QRAppearance.minimumModuleSize...20).contains(moduleSize) else {
            throw AppearanceError("the QR module size", .invalidInput(
                "\(moduleSize) pt is not between \(QRAppearance.minimumModuleSize) and 20 pt"))
        }
        self.symbol = symbol
        self.moduleSize = moduleSize
    }

    /// The side of the square drawn (symbol and quiet zone), in points.
    public var side: Double { Double(symbol.sizeWithQuietZone) * moduleSize }

    /// The Form XObject (`/BBox [0 0 side side]`), its only object.
    public func makeObjects(allocate: () -> Int) throws(AppearanceError) -> (appearance: Int, objects: [PDFObject]) {
        var numbers = ObjectNumbers()
        let id = try numbers.take(allocate())
        var content = ContentStream(capacity: 8192)
        symbol.draw(x: 0, y: 0, moduleSize: moduleSize, into: &content)
        return (id, [try FormXObject.object(id: id, width: side, height: side, resources: "", content: content.bytes)])
    }
}
