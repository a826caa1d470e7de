import CQPDF

/// Where a page shows something: its content streams read operator by operator (text, painted
/// paths, images, form XObjects) and its visible annotations, as marks in the page's default
/// user space. An image is a mark whose pixels are looked at when asked, so that the blank
/// paper of a scanned page counts as free. What cannot be read reliably (a damaged stream, a
/// shading, too many operators) marks the whole page: when in doubt, the page is inked.
struct PageInk {
    enum Mark {
        /// Something is drawn within this rectangle (text, a painted path, an annotation).
        case area(PDFRect)
        /// An image, with the inverse of the matrix it is drawn with (page space to the image's
        /// unit square; nil when the matrix cannot be inverted).
        /// `key` tells images apart (the object number, or a direct object's handle negated).
        case image(bounds: PDFRect, inverse: PDFMatrix?, image: qpdf_oh, key: Int)

        /// `image` drawn with `matrix`: its unit square on the page; nil when no number can say
        /// where that is (an overflowing matrix).
        static func image(_ image: qpdf_oh, drawnWith matrix: PDFMatrix, access: ObjectAccess) -> Mark? {
            let bounds = matrix.bounds(of: PDFRect(minX: 0, minY: 0, maxX: 1, maxY: 1))
            guard bounds.isFinite else { return nil }
            return .image(bounds: bounds, inverse: matrix.inverse, image: image, key: access.id(image) ?? -Int(image))
        }
        /// A visible annotation (its object number when it is indirect) over this rectangle.
        case annotation(PDFRect, id: Int?)
        /// A run of text within this rectangle (its glyphs' full height, ascent to descent),
        /// which counts as covered where an overlap is at least `depth` deep: a quarter of the
        /// font size, so that touching the top of a line's tallest letters is not covering it.
        case text(PDFRect, depth: Double)
    }

    let access: ObjectAccess
    let pageBox: PDFRect
    private(set) var marks: [Mark] = []
    /// Whether everything the page draws could be read (nothing made the whole page count as inked).
    private(set) var isCertain = true
    private let images: ImageInkCache

    /// The most operators read on one page, over all its form XObjects.
    static let operatorLimit = 2_000_000
    /// The most bytes of content read on one page.
    static let contentLimit = 64 << 20
    /// Form XObjects nested deeper than this are not entered (the whole page counts as inked).
    static let nestingLimit = 12

    /// Reads `page`. With `drawing`, the page's content is taken to draw that image with that
    /// matrix and nothing else that shows, and is not read (page 1's trusted ink record says so
    /// of a page the assembler made: a scan, and a text layer that is not drawn).
    init(access: ObjectAccess, page: qpdf_oh, images: ImageInkCache = ImageInkCache(),
         drawing: (image: qpdf_oh, matrix: PDFMatrix)? = nil) {
        self.access = access
        self.images = images
        let media = Self.inherited(access, page, "/MediaBox").flatMap { Self.rect(access, $0) }
            ?? PDFRect(minX: 0, minY: 0, maxX: 612, maxY: 792)
        let crop = Self.inherited(access, page, "/CropBox").flatMap { Self.rect(access, $0) }
        pageBox = crop.flatMap { media.intersection($0) } ?? media
        if let drawing {
            marks = [Mark.image(drawing.image, drawnWith: drawing.matrix, access: access) ?? .area(pageBox)]
        } else {
            var reader = ContentReader(access: access, pageBox: pageBox)
            let resources = Self.inherited(access, page, "/Resources") ?? qpdf_oh_new_null(access.q)
            if let content = Self.pageContent(access, page) {
                reader.read(content, resources: resources, matrix: .identity, depth: 0, forms: [])
            } else if access.has(page, "/Contents") {
                reader.marks.append(.area(pageBox))
                isCertain = false
            }
            marks = reader.marks
            if reader.gaveUp { isCertain = false }
        }
        for annotation in access.items(access.value(page, "/Annots")).prefix(10_000) {
            if let rect = Self.visibleAnnotationRect(access, annotation) { marks.append(.annotation(rect, id: access.id(annotation))) }
        }
    }

    /// The first place within `rect` where the page shows something, nil when it shows
    /// nothing there; the annotation `ignoring` names (one being redrawn) does not count.
    func ink(within rect: PDFRect, ignoring: Int? = nil) -> PDFRect? {
        for mark in marks {
            if let overlap = ink(of: mark, within: rect, ignoring: ignoring) { return overlap }
        }
        return nil
    }

    /// For a sweep of rectangles of the same rows moving right (`rightward`) or left: nil when
    /// the page shows nothing within `rect`, else how far the first ink found reaches (see
    /// `ImageInkCache.inkReach`): every rectangle of the sweep whose left edge (moving right)
    /// is left of the value, or whose right edge (moving left) is right of it, is inked too.
    func inkReach(within rect: PDFRect, rightward: Bool) -> Double? {
        for mark in marks {
            switch mark {
            case .image(let bounds, let inverse, let image, let key):
                guard let overlap = bounds.intersection(rect),
                      let reach = images.inkReach(image, key: key, access: access, inverse: inverse, within: overlap,
                                                  rightward: rightward) else { continue }
                // The ink the overlap holds stays in the rectangles of the sweep as far as it says.
                return rightward ? max(rect.minX, reach) : min(rect.maxX, reach)
            case .area(let area), .annotation(let area, _):
                if ink(of: mark, within: rect, ignoring: nil) != nil { return rightward ? area.maxX : area.minX }
            case .text(let area, let depth):
                // Still this deep into the run while the rectangle's far edge has not passed it.
                let deep = min(depth, area.width)
                if ink(of: mark, within: rect, ignoring: nil) != nil {
                    return rightward ? max(rect.minX, area.maxX - deep) : min(rect.maxX, area.minX + deep)
                }
            }
        }
        return nil
    }

    /// Where `mark` shows something within `rect`, nil when it shows nothing there (or is the
    /// annotation `ignoring` names). A text run counts where the overlap is `depth` deep.
    private func ink(of mark: Mark, within rect: PDFRect, ignoring: Int?) -> PDFRect? {
        switch mark {
        case .area(let area):
            return area.intersection(rect)
        case .annotation(let area, let id):
            return id == nil || id != ignoring ? area.intersection(rect) : nil
        case .text(let area, let depth):
            guard let overlap = area.intersection(rect), overlap.height >= min(depth, area.height),
                  overlap.width >= min(depth, area.width) else { return nil }
            return overlap
        case .image(let bounds, let inverse, let image, let key):
            guard let overlap = bounds.intersection(rect),
                  images.hasInk(image, key: key, access: access, inverse: inverse, within: overlap) else { return nil }
            return overlap
        }
    }

    /// A page attribute, looked up through the page tree's /Parent chain.
    static func inherited(_ access: ObjectAccess, _ page: qpdf_oh, _ key: String) -> qpdf_oh? {
        var node = page
        for _ in 0..<32 {
            if access.has(node, key) { return access.value(node, key) }
            node = access.value(node, "/Parent")
            guard access.isDictionary(node) else { return nil }
        }
        return nil
    }

    static func rect(_ access: ObjectAccess, _ array: qpdf_oh) -> PDFRect? {
        let values = access.items(array).compactMap { access.number($0) }
        guard values.count == 4 else { return nil }
        let rect = PDFRect(minX: values[0], minY: values[1], maxX: values[2], maxY: values[3])
        return rect.isEmpty ? nil : rect
    }

    /// The page's content streams, decoded and joined (at most 64 MiB), nil when one cannot be decoded.
    private static func pageContent(_ access: ObjectAccess, _ page: qpdf_oh) -> [UInt8]? {
        let contents = access.value(page, "/Contents")
        let streams = access.isArray(contents) ? access.items(contents) : [contents]
        var joined: [UInt8] = []
        for stream in streams.prefix(10_000) where !access.isNull(stream) {
            guard access.isStream(stream),
                  let bytes = access.boundedDecodedStreamData(stream, limit: Self.contentLimit - joined.count) else { return nil }
            joined += bytes
            joined.append(10)
        }
        return joined
    }

    /// An annotation that shows something: an appearance, an area, not hidden, not a popup.
    static func visibleAnnotationRect(_ access: ObjectAccess, _ annotation: qpdf_oh) -> PDFRect? {
        guard access.isDictionary(annotation), access.name(access.value(annotation, "/Subtype")) != "/Popup",
              let rect = rect(access, access.value(annotation, "/Rect")) else { return nil }
        let flags = access.integer(access.value(annotation, "/F")) ?? 0
        guard flags & 0b10_0010 == 0 else { return nil }  // Hidden, NoView
        return access.has(annotation, "/AP") || access.has(annotation, "/Contents") ? rect : nil
    }
}

/// The content-stream operators `ContentReader` acts on, found by one hash lookup of the
/// operator's name rather than by comparing it with each name in turn (a text layer has
/// thousands of operators).
private enum ContentOperator: String, CaseIterable {
    case q, Q, cm, w, g, rg, k, sc, scn, G, RG, K, SC, SCN, cs, CS, m, l, c, v, y, re, S, s, f, F
    case fStar = "f*", B, BStar = "B*", b, bStar = "b*", n, BT, Tc, Tw, Tz, TL, Ts, Tr, Tf, Td, TD
    case Tm, TStar = "T*", Tj, quote = "'", doubleQuote = "\"", TJ, Do, sh

    static let named = Dictionary(uniqueKeysWithValues: allCases.map { ($0.rawValue, $0) })
}

/// Reads content streams into marks.
private struct ContentReader {
    struct TextState {
        var characterSpacing = 0.0, wordSpacing = 0.0, horizontalScale = 1.0, leading = 0.0
        var font = FontMetrics.generous, fontSize = 0.0, renderMode = 0, rise = 0.0
    }

    struct GraphicsState {
        var matrix = PDFMatrix.identity
        var lineWidth = 1.0
        var fillIsWhite = false
        var strokeIsWhite = false
        var text = TextState()
    }

    enum Operand {
        case number(Double), name(String), string([UInt8]), array([Operand]), other
    }

    let access: ObjectAccess
    let pageBox: PDFRect
    var marks: [PageInk.Mark] = []
    private var operators = 0
    private(set) var gaveUp = false

    init(access: ObjectAccess, pageBox: PDFRect) {
        self.access = access
        self.pageBox = pageBox
    }

    /// Something drawn within `rect`; a rectangle no number can say (an overflowing matrix)
    /// marks the whole page.
    private mutating func markArea(_ rect: PDFRect) {
        marks.append(.area(rect.isFinite ? rect : pageBox))
    }

    private mutating func giveUp() {
        guard !gaveUp else { return }
        gaveUp = true
        marks.append(.area(pageBox))
    }

    mutating func read(_ content: [UInt8], resources: qpdf_oh, matrix: PDFMatrix, depth: Int, forms: Set<Int>) {
        var state = GraphicsState()
        state.matrix = matrix
        var stack: [GraphicsState] = []
        var textMatrix = PDFMatrix.identity, lineMatrix = PDFMatrix.identity
        var path: PDFRect?
        var operands: [Operand] = []
        var arrays: [[Operand]] = []
        var dictionaryDepth = 0
        var fonts: [String: FontMetrics] = [:]
        var tokens = ContentTokenizer(content)

        func addPoint(_ x: Double, _ y: Double) {
            let point = state.matrix.apply(x, y)
            let dot = PDFRect(minX: point.x, minY: point.y, maxX: point.x, maxY: point.y)
            path = path.map { PDFRect(minX: min($0.minX, dot.minX), minY: min($0.minY, dot.minY),
                                      maxX: max($0.maxX, dot.maxX), maxY: max($0.maxY, dot.maxY)) } ?? dot
        }
        func numbers(_ count: Int) -> [Double]? {
            guard operands.count >= count else { return nil }
            let values = operands.suffix(count).compactMap { operand -> Double? in
                if case .number(let value) = operand, value.isFinite { return value }
                return nil
            }
            return values.count == count ? values : nil
        }
        func paint(fill: Bool, stroke: Bool) {
            defer { path = nil }
            guard var box = path else { return }
            let fills = fill && !state.fillIsWhite, strokes = stroke && !state.strokeIsWhite
            guard fills || strokes else { return }
            if strokes {
                let half = max(0.5, state.lineWidth * state.matrix.largestScale / 2)
                box = PDFRect(minX: box.minX - half, minY: box.minY - half, maxX: box.maxX + half, maxY: box.maxY + half)
            }
            markArea(box)
        }
        func isWhite(_ values: [Double]) -> Bool {
            switch values.count {
            case 1: return values[0] >= 1
            case 3: return values.allSatisfy { $0 >= 1 }
            case 4: return values.allSatisfy { $0 <= 0 }
            default: return false
            }
        }
        func colourOperands() -> [Double] {
            var values: [Double] = []
            for operand in operands.reversed() {
                guard case .number(let value) = operand else { return [] }  // a pattern name: not white
                values.insert(value, at: 0)
            }
            return values
        }
        func show(_ strings: [Operand]) {
            let text = state.text
            var advance = 0.0, low = 0.0, high = 0.0
            for item in strings {
                switch item {
                case .string(let bytes):
                    for code in text.font.codes(bytes) {
                        let spacing = text.characterSpacing + (!text.font.twoByteCodes && code == 32 ? text.wordSpacing : 0)
                        advance += (text.font.width(code) * text.fontSize + spacing) * text.horizontalScale
                        low = min(low, advance)
                        high = max(high, advance)
                    }
                case .number(let adjustment):
                    advance -= adjustment / 1000 * text.fontSize * text.horizontalScale
                default: break
                }
            }
            if text.renderMode != 3 && text.renderMode != 7 && high > low {
                let size = abs(text.fontSize)
                let box = PDFRect(minX: low, minY: text.rise + text.font.descent * size,
                                  maxX: high, maxY: text.rise + text.font.ascent * size)
                let toPage = textMatrix.then(state.matrix)
                let bounds = toPage.bounds(of: box)
                if bounds.isFinite {
                    marks.append(.text(bounds, depth: size / 4 * min(abs(toPage.b) + abs(toPage.d), toPage.largestScale)))
                } else {
                    markArea(bounds)
                }
            }
            textMatrix = PDFMatrix(e: advance).then(textMatrix)
        }
        func nextLine(_ x: Double, _ y: Double) {
            lineMatrix = PDFMatrix(e: x, f: y).then(lineMatrix)
            textMatrix = lineMatrix
        }

        while let token = tokens.next(), !gaveUp {
            switch token {
            case .damaged:
                giveUp()
            case .number(let value):
                if arrays.isEmpty { operands.append(.number(value)) } else { arrays[arrays.count - 1].append(.number(value)) }
            case .name(let name):
                if dictionaryDepth > 0 { continue }
                if arrays.isEmpty { operands.append(.name(name)) } else { arrays[arrays.count - 1].append(.name(name)) }
            case .string(let bytes):
                if dictionaryDepth > 0 { continue }
                if arrays.isEmpty { operands.append(.string(bytes)) } else { arrays[arrays.count - 1].append(.string(bytes)) }
            case .arrayStart:
                guard arrays.count < 32 else { giveUp(); continue }
                arrays.append([])
            case .arrayEnd:
                guard let array = arrays.popLast() else { giveUp(); continue }
                if arrays.isEmpty { operands.append(.array(array)) } else { arrays[arrays.count - 1].append(.array(array)) }
            case .dictionaryStart:
                dictionaryDepth += 1
            case .dictionaryEnd:
                dictionaryDepth = max(0, dictionaryDepth - 1)
                if dictionaryDepth == 0, arrays.isEmpty { operands.append(.other) }
            case .inlineImage:
                markArea(state.matrix.bounds(of: PDFRect(minX: 0, minY: 0, maxX: 1, maxY: 1)))
                operands.removeAll()
            case .operator(let name):
                operators += 1
                if operators > PageInk.operatorLimit { giveUp(); continue }
                if !arrays.isEmpty || dictionaryDepth > 0 { giveUp(); continue }
                defer { operands.removeAll(keepingCapacity: true) }
                // The operators nothing here depends on (ET, marked content, line styles…) are not looked at.
                guard let known = ContentOperator.named[name] else { continue }
                switch known {
                case .q:
                    if stack.count < 256 { stack.append(state) }
                case .Q:
                    if let saved = stack.popLast() { state = saved }
                case .cm:
                    if let values = numbers(6), let matrix = PDFMatrix(values) { state.matrix = matrix.then(state.matrix) }
                case .w:
                    if let values = numbers(1) { state.lineWidth = abs(values[0]) }
                case .g, .rg, .k, .sc, .scn:
                    state.fillIsWhite = isWhite(colourOperands())
                case .G, .RG, .K, .SC, .SCN:
                    state.strokeIsWhite = isWhite(colourOperands())
                case .cs:
                    state.fillIsWhite = false
                case .CS:
                    state.strokeIsWhite = false
                case .m, .l:
                    if let values = numbers(2) { addPoint(values[0], values[1]) }
                case .c:
                    if let values = numbers(6) { for index in stride(from: 0, to: 6, by: 2) { addPoint(values[index], values[index + 1]) } }
                case .v, .y:
                    if let values = numbers(4) { for index in stride(from: 0, to: 4, by: 2) { addPoint(values[index], values[index + 1]) } }
                case .re:
                    if let values = numbers(4) {
                        addPoint(values[0], values[1])
                        addPoint(values[0] + values[2], values[1] + values[3])
                        addPoint(values[0], values[1] + values[3])
                        addPoint(values[0] + values[2], values[1])
                    }
                case .S, .s:
                    paint(fill: false, stroke: true)
                case .f, .F, .fStar:
                    paint(fill: true, stroke: false)
                case .B, .BStar, .b, .bStar:
                    paint(fill: true, stroke: true)
                case .n:
                    path = nil
                case .BT:
                    textMatrix = .identity
                    lineMatrix = .identity
                case .Tc:
                    if let values = numbers(1) { state.text.characterSpacing = values[0] }
                case .Tw:
                    if let values = numbers(1) { state.text.wordSpacing = values[0] }
                case .Tz:
                    if let values = numbers(1) { state.text.horizontalScale = values[0] / 100 }
                case .TL:
                    if let values = numbers(1) { state.text.leading = values[0] }
                case .Ts:
                    if let values = numbers(1) { state.text.rise = values[0] }
                case .Tr:
                    if let values = numbers(1) { state.text.renderMode = Int(max(-1, min(8, values[0]))) }
                case .Tf:
                    guard operands.count >= 2, case .name(let fontName) = operands[operands.count - 2],
                          let size = numbers(1)?.first else { continue }
                    state.text.fontSize = size
                    if let known = fonts[fontName] {
                        state.text.font = known
                    } else {
                        let metrics = FontMetrics(access.value(access.value(resources, "/Font"), "/" + fontName), access: access)
                        fonts[fontName] = metrics
                        state.text.font = metrics
                    }
                case .Td:
                    if let values = numbers(2) { nextLine(values[0], values[1]) }
                case .TD:
                    if let values = numbers(2) {
                        state.text.leading = -values[1]
                        nextLine(values[0], values[1])
                    }
                case .Tm:
                    if let values = numbers(6), let matrix = PDFMatrix(values) {
                        lineMatrix = matrix
                        textMatrix = matrix
                    }
                case .TStar:
                    nextLine(0, -state.text.leading)
                case .Tj:
                    if let last = operands.last { show([last]) }
                case .quote:
                    nextLine(0, -state.text.leading)
                    if let last = operands.last { show([last]) }
                case .doubleQuote:
                    if operands.count >= 3, case .number(let word) = operands[operands.count - 3],
                       case .number(let character) = operands[operands.count - 2] {
                        state.text.wordSpacing = word
                        state.text.characterSpacing = character
                    }
                    nextLine(0, -state.text.leading)
                    if let last = operands.last { show([last]) }
                case .TJ:
                    if case .array(let items) = operands.last { show(items) }
                case .Do:
                    guard case .name(let objectName) = operands.last else { continue }
                    drawObject(objectName, resources: resources, state: state, depth: depth, forms: forms)
                case .sh:
                    giveUp()
                }
            }
        }
    }

    private mutating func drawObject(_ objectName: String, resources: qpdf_oh, state: GraphicsState, depth: Int, forms: Set<Int>) {
        let object = access.value(access.value(resources, "/XObject"), "/" + objectName)
        guard access.isStream(object) else { return }
        let unit = PDFRect(minX: 0, minY: 0, maxX: 1, maxY: 1)
        switch access.name(access.value(object, "/Subtype")) {
        case "/Image":
            let isMask = qpdf_oh_is_bool(access.q, access.value(object, "/ImageMask")) != 0
                && qpdf_oh_get_bool_value(access.q, access.value(object, "/ImageMask")) != 0
            if !isMask, let mark = PageInk.Mark.image(object, drawnWith: state.matrix, access: access) {
                marks.append(mark)
            } else {
                markArea(state.matrix.bounds(of: unit))
            }
        case "/Form":
            let id = access.id(object) ?? -1
            guard depth < PageInk.nestingLimit, !forms.contains(id),
                  let content = access.boundedDecodedStreamData(object, limit: PageInk.contentLimit) else {
                giveUp()
                return
            }
            let own = access.value(object, "/Resources")
            let matrix = PDFMatrix(access.items(access.value(object, "/Matrix")).compactMap { access.number($0) }) ?? .identity
            read(content, resources: access.isDictionary(own) ? own : resources, matrix: matrix.then(state.matrix),
                 depth: depth + 1, forms: forms.union([id]))
        default:
            markArea(state.matrix.bounds(of: unit))
        }
    }
}
