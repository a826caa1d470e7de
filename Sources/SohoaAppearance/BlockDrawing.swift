import SohoaPDF

/// Draws a laid-out signature block: its Form XObject's content and resources.
struct BlockDrawing {
    let block: SignatureBlock
    let layout: SignatureLayout

    /// The fonts the lines use, each with its resource name (F1, F2) and the lines drawn with it.
    private var fontUses: [(font: EmbeddedFont, name: String, lines: [SignatureLayout.PlacedLine])] {
        var uses: [(font: EmbeddedFont, name: String, lines: [SignatureLayout.PlacedLine])] = []
        for line in layout.lines {
            let font = line.bold ? block.style.boldFont ?? block.style.regularFont : block.style.regularFont
            if let index = uses.firstIndex(where: { $0.font === font }) {
                uses[index].lines.append(line)
            } else {
                uses.append((font, "F\(uses.count + 1)", [line]))
            }
        }
        return uses
    }

    func objects(allocate: () -> Int,
                 numbers: inout ObjectNumbers) throws(AppearanceError) -> (appearance: Int, objects: [PDFObject]) {
        let appearance = try numbers.take(allocate())
        let style = block.style
        var content = ContentStream(capacity: 4096)
        content.append("q\n")
        if style.frameWidth > 0 {
            let inset = style.frameWidth / 2
            content.append("\(style.colour.operands) RG \(PDFSyntax.number(style.frameWidth)) w "
                + "\(PDFSyntax.number(inset)) \(PDFSyntax.number(inset)) "
                + "\(PDFSyntax.number(layout.width - style.frameWidth)) "
                + "\(PDFSyntax.number(layout.height - style.frameWidth)) re S\n")
        }
        var resources: [String] = []
        var objects: [PDFObject] = []
        if let seal = block.seal, let rect = layout.seal {
            let image = try seal.objects(allocate: allocate, numbers: &numbers)
            objects += image.objects
            resources.append("/XObject << /Seal \(PDFSyntax.reference(image.image)) >>")
            content.append("q \(PDFSyntax.number(rect.width)) 0 0 \(PDFSyntax.number(rect.height)) "
                + "\(PDFSyntax.number(rect.x)) \(PDFSyntax.number(rect.y)) cm /Seal Do Q\n")
        }
        let uses = fontUses
        var fontEntries: [String] = []
        if !uses.isEmpty { content.append("\(style.colour.operands) rg\n") }
        for use in uses {
            var map = GlyphTextMap(font: use.font)
            // The always-included characters (a time's digits and signs) are mapped whether drawn
            // or not: a batch's maps then differ only where its names do, and each is made once.
            let always = try use.font.shape(style.alwaysIncludedCharacters)
            map.learn(always, always.glyphs.indices)
            for line in use.lines { map.learn(line.shaped, line.glyphRange) }
            let drawing = TextDrawing(font: use.font, resourceName: use.name, map: map)
            for line in use.lines { drawing.draw(line, size: layout.fontSize, into: &content) }
            let drawn = Set(use.lines.flatMap { line in line.shaped.glyphs[line.glyphRange].map(\.glyph) })
            let font = try FontObjects(font: use.font, map: map, drawnGlyphs: drawn, alwaysIncluded: style.alwaysIncludedCharacters)
                .objects(allocate: allocate, numbers: &numbers)
            objects += font.objects
            fontEntries.append("/\(use.name) \(PDFSyntax.reference(font.font))")
        }
        if !fontEntries.isEmpty { resources.insert("/Font << \(fontEntries.joined(separator: " ")) >>", at: 0) }
        if let qrCode = block.qrCode, let rect = layout.qrCode, let module = layout.qrModuleSize {
            qrCode.draw(x: rect.x, y: rect.y, moduleSize: module, into: &content)
        }
        content.append("Q\n")
        let form = try FormXObject.object(id: appearance, width: layout.width, height: layout.height,
                                          resources: resources.joined(separator: " "), content: content.bytes)
        return (appearance, [form] + objects)
    }
}

/// The Form XObject dictionary and compressed content of an appearance.
enum FormXObject {
    static func object(id: Int, width: Double, height: Double, resources: String,
                       content: [UInt8]) throws(AppearanceError) -> PDFObject {
        PDFObject(id: id, dictionary: "<< /Type /XObject /Subtype /Form /FormType 1 "
            + "/BBox [0 0 \(PDFSyntax.number(width)) \(PDFSyntax.number(height))] /Resources << \(resources) >> "
            + "/Filter /FlateDecode >>",
            streamData: try Deflate.compress(content, level: Deflate.perDocumentLevel, what: "the appearance's content stream"))
    }
}
