extension SignatureBlock {
    /// Where the text, seal and QR code go; the text's size after any shrinking.
    ///
    /// - Throws: `AppearanceError` when the block's size, style or lines are not valid, the QR
    ///   code does not fit at the minimum module size, or a line does not fit in the text area
    ///   at the minimum font size (the error's subject names the line).
    public func layout() throws(AppearanceError) -> SignatureLayout {
        try style.check()
        let block = "the signature block"
        guard width.isFinite, height.isFinite, (20...14400).contains(width), (10...14400).contains(height) else {
            throw AppearanceError(block, .invalidInput("its size \(width) × \(height) pt is outside 20–14400 × 10–14400 pt"))
        }
        guard lines.count <= SignatureBlock.maximumLines else {
            throw AppearanceError(block, .invalidInput(
                "it has \(lines.count) lines, at most \(SignatureBlock.maximumLines) are allowed"))
        }
        let padding = style.padding
        guard width > 4 * padding, height > 2 * padding else {
            throw AppearanceError(block, .invalidInput("its padding of \(padding) pt leaves no room inside \(width) × \(height) pt"))
        }
        let inner = BlockRect(x: padding, y: padding, width: width - 2 * padding, height: height - 2 * padding)

        var textLeft = inner.x
        var sealRect: BlockRect?
        if let seal {
            let column = BlockRect(x: inner.x, y: inner.y, width: width / 3 - padding, height: inner.height)
            sealRect = SignatureBlock.fit(width: Double(seal.width), height: Double(seal.height), in: column)
            textLeft = width / 3 + padding / 2
        }
        var textRight = inner.maxX
        var qrRect: BlockRect?
        var moduleSize: Double?
        if let qrCode {
            let modules = Double(qrCode.sizeWithQuietZone)
            let module = min(style.preferredQRModuleSize, inner.height / modules)
            guard module >= QRAppearance.minimumModuleSize else {
                throw AppearanceError("the QR code", .doesNotFit(
                    "version \(qrCode.version) is \(qrCode.sizeWithQuietZone) modules wide with its quiet zone and needs "
                        + "\(PDFSyntax.number(modules * QRAppearance.minimumModuleSize)) pt at "
                        + "\(PDFSyntax.number(QRAppearance.minimumModuleSize)) pt per module; the block leaves "
                        + "\(PDFSyntax.number(inner.height)) pt of height"))
            }
            let side = module * modules
            qrRect = BlockRect(x: inner.maxX - side, y: (height - side) / 2, width: side, height: side)
            moduleSize = module
            textRight = inner.maxX - side
        }
        let textArea = BlockRect(x: textLeft, y: inner.y, width: textRight - textLeft, height: inner.height)
        guard textArea.width >= 2 * style.minimumFontSize else {
            throw AppearanceError(block, .doesNotFit(
                "with the seal and QR code, \(PDFSyntax.number(max(textArea.width, 0))) pt of width is left for the text"))
        }
        let placed = try placeText(in: textArea)
        return SignatureLayout(width: width, height: height, fontSize: placed.size, textArea: textArea, lines: placed.lines,
                               seal: sealRect, qrCode: qrRect, qrModuleSize: moduleSize)
    }

    /// A rectangle of `width` × `height`'s proportions, as large as fits in `area`, centred.
    static func fit(width: Double, height: Double, in area: BlockRect) -> BlockRect {
        let scale = min(area.width / width, area.height / height)
        let drawnWidth = width * scale, drawnHeight = height * scale
        return BlockRect(x: area.x + (area.width - drawnWidth) / 2, y: area.y + (area.height - drawnHeight) / 2,
                         width: drawnWidth, height: drawnHeight)
    }

    private func font(bold: Bool) -> EmbeddedFont {
        bold ? style.boldFont ?? style.regularFont : style.regularFont
    }

    /// Shapes the lines, then tries each size from the style's down to its minimum.
    private func placeText(in area: BlockRect) throws(AppearanceError) -> (size: Double, lines: [SignatureLayout.PlacedLine]) {
        var shaped: [ShapedText] = []
        for line in lines {
            let text = line.text.trimmingSpaces
            shaped.append(try font(bold: line.bold).shape(text))
        }
        let used = Set(lines.map(\.bold)).map { font(bold: $0) }
        let ascent = Double(used.map(\.metrics.ascent).max() ?? 891) / 1000
        let descent = Double(used.map { -$0.metrics.descent }.max() ?? 216) / 1000

        var size = style.fontSize
        while true {
            if let placed = place(shaped, size: size, ascent: ascent, descent: descent, in: area) {
                return (size, placed)
            }
            if size <= style.minimumFontSize { break }
            size = max(((size - style.fontSizeStep) * 1000).rounded() / 1000, style.minimumFontSize)
        }
        throw misfit(shaped, size: size, ascent: ascent, descent: descent, in: area)
    }

    /// The lines wrapped and placed at `size`, or nil when they do not fit.
    private func place(_ shaped: [ShapedText], size: Double, ascent: Double, descent: Double,
                       in area: BlockRect) -> [SignatureLayout.PlacedLine]? {
        let leading = size * style.lineSpacing
        var baseline = area.maxY - ascent * size
        var placed: [SignatureLayout.PlacedLine] = []
        for (index, text) in shaped.enumerated() {
            let maximum = area.width * Double(text.unitsPerEm) / size
            guard let ranges = LineWrapping.wrap(text, maximumAdvance: maximum) else { return nil }
            for range in ranges {
                guard baseline - descent * size >= area.y - 0.0001 else { return nil }
                let lineWidth = Double(text.advance(ofGlyphs: range)) * size / Double(text.unitsPerEm)
                placed.append(SignatureLayout.PlacedLine(
                    text: text.text(ofGlyphs: range), sourceLine: index, bold: lines[index].bold, x: area.x,
                    baseline: baseline, width: lineWidth,
                    bounds: BlockRect(x: area.x, y: baseline - descent * size, width: lineWidth, height: (ascent + descent) * size),
                    shaped: text, glyphRange: range))
                baseline -= leading
            }
        }
        return placed
    }

    /// The error for text that does not fit at the smallest size: the first line with a word
    /// wider than the text area, or else the first line that goes below its bottom.
    private func misfit(_ shaped: [ShapedText], size: Double, ascent: Double, descent: Double,
                        in area: BlockRect) -> AppearanceError {
        func subject(_ index: Int) -> String {
            let text = shaped[index].text
            return "line \(index + 1) (\"\(text.count > 60 ? text.prefix(60) + "…" : text)\")"
        }
        for (index, text) in shaped.enumerated() {
            let maximum = area.width * Double(text.unitsPerEm) / size
            if LineWrapping.wrap(text, maximumAdvance: maximum) == nil {
                let widest = LineWrapping.widestWord(text)
                let wordWidth = Double(widest.advance) * size / Double(text.unitsPerEm)
                return AppearanceError(subject(index), .textDoesNotFit(
                    "at \(PDFSyntax.number(size)) pt the word \"\(widest.word)\" is \(PDFSyntax.number(wordWidth)) pt wide, "
                        + "and the text area is \(PDFSyntax.number(area.width)) pt wide"))
            }
        }
        let leading = size * style.lineSpacing
        var bottom = area.maxY - ascent * size - descent * size
        var needed = ascent * size + descent * size - leading
        var firstOver: Int?
        for (index, text) in shaped.enumerated() {
            let count = LineWrapping.wrap(text, maximumAdvance: area.width * Double(text.unitsPerEm) / size)?.count ?? 1
            for _ in 0..<count {
                if bottom < area.y - 0.0001, firstOver == nil { firstOver = index }
                bottom -= leading
                needed += leading
            }
        }
        return AppearanceError(subject(firstOver ?? max(shaped.count - 1, 0)), .textDoesNotFit(
            "at \(PDFSyntax.number(size)) pt the lines need \(PDFSyntax.number(needed)) pt of height, "
                + "and the text area is \(PDFSyntax.number(area.height)) pt high"))
    }
}

extension String {
    /// The string without leading and trailing spaces.
    var trimmingSpaces: String {
        var scalars = Substring(self).unicodeScalars
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
