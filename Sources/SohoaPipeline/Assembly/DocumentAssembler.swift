import Foundation
import SohoaFiles
import SohoaCrypto
import SohoaAppearance
import SohoaImaging
import SohoaOCR
import SohoaPDF
import SohoaRepository

/// Settings of one assembly.
public struct AssemblyOptions: Sendable {
    /// Resolution rule and page analyser.
    public var preparation = PreparationSettings()
    /// Bounds on what is decoded.
    public var limits = DecodeLimits.standard
    /// Leave blank pages out of the PDF (they are still reported).
    public var dropBlank = false
    /// Claim PDF/A-2b where the content allows it.
    public var pdfa = true
    /// The document's title (Info /Title, XMP dc:title).
    public var title: String?
    /// The kind of document.
    public var documentType: String?
    /// Whose document it is.
    public var owner: OwnerID?
    /// The case it belongs to.
    public var caseID: DossierCode?
    /// How many pages are decoded at once.
    public var parallelism = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Recognise the pages' text with these engines, for a text layer under each page image;
    /// nil: images only.
    public var ocr: OCREnginePool?
    /// A page read with a confidence below this (0 to 100) is flagged for the operator.
    public var ocrFlagBelow = 60.0

    public init() {}
}

/// One page of an assembled document, as reported to the operator.
public struct AssembledPage: Sendable {
    /// The source file and page within it (from 0).
    public let source: String
    public let indexInFile: Int
    /// What the file's header said.
    public let description: PageDescription
    public let orientation: Orientation
    public let resolution: EffectiveResolution
    public let analysis: PageAnalysis
    /// How the image is stored in the PDF, e.g. "CCITT G4, passed through".
    public let encoding: String
    public let passedThrough: Bool
    /// The page size in points, or nil when the page was dropped.
    public let pageSize: (width: Double, height: Double)?
    /// Left out because it is blank and blank pages were to be dropped.
    public var dropped: Bool { pageSize == nil }
    /// What text recognition found, nil without OCR.
    public let text: PageText?
}

/// The text recognised on one page.
public struct PageText: Sendable {
    /// The words, a line per line of the page (NFC).
    public let text: String
    public let wordCount: Int
    /// Tesseract's confidence in the page's words, 0 to 100.
    public let confidence: Double
    /// Why the operator should look at the page (low confidence, or the page could not be
    /// read); nil when it reads well. A flagged page is still filed.
    public let flag: String?
    /// Quarter turns clockwise the page was turned because it was found sideways or upside down.
    public let addedTurns: Int
    /// How far its lines slope, in degrees (reported; the image is kept as scanned).
    public let skewDegrees: Double?
}

/// What an assembly produced.
public struct AssemblyReport: Sendable {
    /// The PDF written.
    public let output: String
    /// Its SHA-256, lower-case hex.
    public let sha256: String
    /// Its size in bytes.
    public let byteCount: Int
    /// Every page read, in order, dropped ones included.
    public let pages: [AssembledPage]
    /// Each source file with its SHA-256.
    public let sources: [(name: String, sha256: String)]
    /// Whether the PDF claims PDF/A-2b, and why not when it does not.
    public let pdfa: Bool
    public let pdfaNote: String?
}

/// Why an assembly was refused. Nothing is left at the output path when this is thrown.
public enum AssemblyError: Error, CustomStringConvertible, Sendable {
    /// An input file was refused.
    case input(ImagingError)
    /// Every page is blank and blank pages were to be dropped.
    case everyPageBlank(count: Int)
    /// The output cannot be written.
    case output(path: String, reason: String)

    public var description: String {
        switch self {
        case .input(let error): return error.description
        case .everyPageBlank(let count):
            return "all \(count) page\(count == 1 ? " is" : "s are") blank; with --drop-blank nothing would be left"
        case .output(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// Turns image files into one PDF: every page prepared (passed through or losslessly
/// re-encoded, analysed), placed upright at its own size, with the document's metadata; with
/// OCR, each page's text read and set under its image.
///
/// Pages are prepared a few at a time, in parallel, and handed to the PDF in order; only
/// compressed page data is kept, so memory does not grow with decoded page sizes.
/// The PDF is written under a temporary name in the output's folder, synced, and renamed.
public struct DocumentAssembler: Sendable {
    public let options: AssemblyOptions

    public init(options: AssemblyOptions) {
        self.options = options
    }

    public func assemble(inputs arguments: [String], output: String) async throws(AssemblyError) -> AssemblyReport {
        let files: [String]
        let pageList: [(file: String, index: Int)]
        do {
            files = try AssemblyInputs.expand(arguments)
            pageList = try files.flatMap { file in
                let count = try ImageReader.pageCount(path: file, limits: options.limits)
                return (0..<count).map { (file: file, index: $0) }
            }
        } catch let error as ImagingError {
            throw .input(error)
        } catch {
            throw .input(ImagingError(file: arguments.first ?? "", reason: .unreadable("\(error)")))
        }

        // The sources are hashed on the side while the pages are prepared.
        async let hashedSources = Self.hashSources(files)
        let builder: PDFDocumentBuilder
        do {
            builder = try PDFDocumentBuilder(name: output)
        } catch {
            throw .output(path: output, reason: "\(error)")
        }
        var reported: [AssembledPage] = []
        var dates: [String] = []
        let textLayer: InvisibleTextLayer?
        do {
            textLayer = options.ocr == nil ? nil : try InvisibleTextLayer()
        } catch {
            throw .output(path: output, reason: "the text layer's font cannot be loaded: \(error)")
        }
        var identity = DocumentIdentity()
        var pagesAdded = 0
        try await forEachPreparedPage(pageList) { (page: PreparedPage, reading: Result<PageReading, any Error>?) throws(AssemblyError) in
            if let date = page.recordedDate { dates.append(date) }
            let keep = !(options.dropBlank && page.analysis.isBlank)
            let text = options.ocr == nil ? nil : pageText(reading)
            // A page found sideways or upside down is shown turned upright.
            let orientation = page.orientation.turned(quarterTurns: text?.addedTurns ?? 0)
            let upright = orientation.uprightSize(width: page.description.width, height: page.description.height)
            let size = (width: Double(upright.width) * 72 / page.resolution.dpi,
                        height: Double(upright.height) * 72 / page.resolution.dpi)
            if keep {
                do {
                    var layer: [UInt8]?
                    if let textLayer, case .success(let read)? = reading {
                        layer = try textLayer.compressedContent(for: Self.layerWords(read.page, pageSize: size))
                    }
                    let image = Self.pdfImage(page.image)
                    let placement = PDFImagePlacement(rawValue: orientation.rawValue) ?? .up
                    // Page 1 records where its scan has strokes, for placing signature blocks on it.
                    try builder.addPage(image: image, width: size.width, height: size.height, placement: placement, textLayer: layer,
                                        ink: pagesAdded == 0 ? page.ink : nil)
                    pagesAdded += 1
                    identity.addPage(source: page.source, index: page.indexInFile, image: image, width: size.width, height: size.height,
                                     placement: placement, textLayer: layer)
                } catch {
                    throw .output(path: output, reason: "\(error)")
                }
            }
            reported.append(AssembledPage(
                source: page.source, indexInFile: page.indexInFile, description: page.description,
                orientation: orientation, resolution: page.resolution, analysis: page.analysis,
                encoding: page.image.summary, passedThrough: page.image.passedThrough,
                pageSize: keep ? size : nil, text: text))
        }
        guard reported.contains(where: { !$0.dropped }) else { throw .everyPageBlank(count: reported.count) }
        if let textLayer, builder.needsTextFont {
            do {
                try builder.setTextFont { allocate in try textLayer.fontObjects(allocate: allocate) }
            } catch {
                throw .output(path: output, reason: "the text layer's font cannot be embedded: \(error)")
            }
        }
        let sources: [(name: String, sha256: String)]
        do {
            sources = try await hashedSources
        } catch let error as AssemblyError {
            throw error
        } catch {
            throw .input(ImagingError(file: files.first ?? "", reason: .unreadable("\(error)")))
        }

        let metadata = makeMetadata(sources: sources, creationDate: dates.min())
        let claimed = try writeAtomically(builder, metadata: metadata, identifier: identity.identifier(metadata: metadata, pdfa: options.pdfa),
                                          to: output)
        let digest: [UInt8]
        let size: Int
        do {
            digest = try SHA256.digest(fileAt: output)
            size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        } catch {
            throw .output(path: output, reason: "the written file cannot be read back (\(error.localizedDescription))")
        }
        let note = claimed || !options.pdfa ? nil
            : "PDF/A-2b is not claimed: a page is CMYK, which PDF/A allows only with a CMYK output intent"
        return AssemblyReport(output: output, sha256: digest.hexString, byteCount: size, pages: reported,
                              sources: sources, pdfa: claimed, pdfaNote: note)
    }

    /// Prepares every page of `pages` and hands each to `body` in order, with what text
    /// recognition made of it (nil without OCR, and for blank pages). Consecutive pages of one
    /// file go to one task, which opens the file once. `parallelism` tasks run at once, and a
    /// new one starts as soon as one ends (no task waits for the slowest of a batch); `body`
    /// takes each page as soon as those before it are done, while later ones are prepared.
    /// At most twice `parallelism` tasks' pages are held at a time, done or not, so memory is
    /// bounded whatever the number of pages.
    private func forEachPreparedPage(_ pages: [(file: String, index: Int)],
                                     _ body: (PreparedPage, Result<PageReading, any Error>?) throws(AssemblyError) -> Void)
        async throws(AssemblyError) {
        let settings = options.preparation
        let limits = options.limits
        let ocr = options.ocr
        let width = max(1, options.parallelism)
        var runs: [Range<Int>] = []
        for position in pages.indices {
            if let last = runs.last, pages[last.lowerBound].file == pages[position].file, last.count < Self.pagesPerTask {
                runs[runs.count - 1] = last.lowerBound..<(position + 1)
            } else {
                runs.append(position..<(position + 1))
            }
        }
        var failure: AssemblyError?
        do {
            try await withThrowingTaskGroup(of: (Int, [(PreparedPage, Result<PageReading, any Error>?)]).self) { group in
                var launched = 0, handed = 0, running = 0
                var done: [Int: [(PreparedPage, Result<PageReading, any Error>?)]] = [:]
                func launch() {
                    let number = launched
                    let run = runs[number]
                    let file = pages[run.lowerBound].file
                    let indices = run.map { pages[$0].index }
                    group.addTask {
                        let source = try ImageReader.open(path: file, limits: limits)
                        return (number, try indices.enumerated().map { offset, index in
                            // The first page finds its strokes too: page 1 records them (a first
                            // page dropped as blank leaves page 1 without a record).
                            var settings = settings
                            settings.recordsInk = number == 0 && offset == 0
                            let page = try source.preparePage(index, settings: settings)
                            guard let ocr, !page.analysis.isBlank else { return (page, nil) }
                            // A page that cannot be read is flagged, not refused: its image is what counts.
                            let reading = Result<PageReading, any Error> {
                                try PageReading.read(try source.decodePage(index), orientation: page.orientation,
                                                     dpi: page.resolution.dpi, with: ocr)
                            }
                            return (page, reading)
                        })
                    }
                    launched += 1
                    running += 1
                }
                while launched < runs.count && running < width { launch() }
                while let (number, prepared) = try await group.next() {
                    running -= 1
                    done[number] = prepared
                    while let next = done.removeValue(forKey: handed) {
                        for (page, reading) in next {
                            do throws(AssemblyError) { try body(page, reading) } catch {
                                failure = error
                                group.cancelAll()
                                return
                            }
                        }
                        handed += 1
                    }
                    while launched < runs.count && running < width && launched - handed < 2 * width { launch() }
                }
            }
        } catch let error as ImagingError {
            throw .input(error)
        } catch {
            throw .input(ImagingError(file: pages.first?.file ?? "", reason: .unreadable("\(error)")))
        }
        if let failure { throw failure }
    }

    /// Pages of one file handled by one task (a multi-page TIFF is opened once per run).
    static let pagesPerTask = 8

    /// What the operator is told of a page's text.
    private func pageText(_ reading: Result<PageReading, any Error>?) -> PageText {
        switch reading {
        case nil:
            return PageText(text: "", wordCount: 0, confidence: 0, flag: nil, addedTurns: 0, skewDegrees: nil)
        case .failure(let error):
            return PageText(text: "", wordCount: 0, confidence: 0, flag: "its text could not be read: \(error)", addedTurns: 0,
                            skewDegrees: nil)
        case .success(let read):
            let confidence = (read.page.confidence * 10).rounded() / 10
            var flag: String?
            if read.page.words.isEmpty {
                flag = "no text was found on it"
            } else if confidence < options.ocrFlagBelow {
                flag = "its text was read with a confidence of \(Int(confidence)) (below \(Int(options.ocrFlagBelow))): check it"
            }
            return PageText(text: read.page.text, wordCount: read.page.words.count, confidence: confidence, flag: flag,
                            addedTurns: read.addedTurns, skewDegrees: read.page.skewDegrees)
        }
    }

    /// The words of a page read upright, in the points of a page of `pageSize`, every word of
    /// a line on one baseline at the line's height (text extraction and search take a line of
    /// words at one height as a line). On a page read straightened, each word starts where the
    /// scan shows it and the line's baseline is where the scan has the line's middle.
    static func layerWords(_ page: RecognizedPage, pageSize: (width: Double, height: Double)) -> [InvisibleTextLayer.Word] {
        guard page.width > 0, page.height > 0 else { return [] }
        let scaleX = pageSize.width / Double(page.width), scaleY = pageSize.height / Double(page.height)
        var lines: [Int: (top: Int, bottom: Int, left: Int, right: Int, baselines: [Double])] = [:]
        for word in page.words {
            var line = lines[word.line] ?? (Int.max, Int.min, Int.max, Int.min, [])
            line.top = min(line.top, word.box.y0)
            line.bottom = max(line.bottom, word.box.y1)
            line.left = min(line.left, word.box.x0)
            line.right = max(line.right, word.box.x1)
            if let baseline = word.baseline { line.baselines.append(baseline) }
            lines[word.line] = line
        }
        var baselines: [Int: Double] = [:]
        for (number, line) in lines {
            let sorted = line.baselines.sorted()
            // Without a baseline, the line's foot less the usual descent (a fifth of its height).
            let baseline = sorted.isEmpty ? Double(line.bottom) - Double(line.bottom - line.top) / 5 : sorted[sorted.count / 2]
            baselines[number] = page.onPage(x: Double(line.left + line.right) / 2, y: baseline).y
        }
        return page.words.compactMap { word in
            guard let line = lines[word.line], let baseline = baselines[word.line] else { return nil }
            let start = page.onPage(x: Double(word.box.x0), y: Double(word.baseline ?? Double(line.bottom)))
            return InvisibleTextLayer.Word(text: word.text, x: start.x * scaleX, baseline: pageSize.height - baseline * scaleY,
                                           width: Double(word.box.width) * scaleX,
                                           lineHeight: Double(line.bottom - line.top) * scaleY)
        }
    }

    private static func hashSources(_ files: [String]) async throws(AssemblyError) -> [(name: String, sha256: String)] {
        var sources: [(name: String, sha256: String)] = []
        for file in files {
            do {
                sources.append(((file as NSString).lastPathComponent, try SHA256.digest(fileAt: file).hexString))
            } catch {
                throw .input(ImagingError(file: file, reason: .unreadable("\(error.localizedDescription)")))
            }
        }
        return sources
    }

    private func makeMetadata(sources: [(name: String, sha256: String)], creationDate: String?) -> PDFMetadata {
        var keywords: [String] = []
        var extra: [(key: String, value: String)] = []
        if let owner = options.owner {
            keywords.append("\(owner.isOrganisation ? "organisation" : "citizen"):\(owner)")
            extra.append(("SohoaOwner", owner.description))
        }
        if let caseID = options.caseID {
            keywords.append("case:\(caseID)")
            extra.append(("SohoaCase", caseID.description))
        }
        if let type = options.documentType {
            extra.append(("SohoaDocumentType", type))
        }
        return PDFMetadata(
            title: options.title ?? sources.first.map { ($0.name as NSString).deletingPathExtension },
            documentType: options.documentType, keywords: keywords, creatorTool: "Sohoa \(SohoaVersion.current)",
            producer: "Sohoa \(SohoaVersion.current) (libqpdf)", creationDate: creationDate,
            sources: sources, extraInfo: extra)
    }

    /// Writes to a temporary name beside `output`, syncs it, renames it into place and syncs
    /// the folder; on failure nothing is left behind.
    private func writeAtomically(_ builder: PDFDocumentBuilder, metadata: PDFMetadata, identifier: [UInt8],
                                 to output: String) throws(AssemblyError) -> Bool {
        do {
            return try DurableFile.replace(output) { temporary in
                try builder.write(to: temporary, metadata: metadata, pdfa: options.pdfa, identifier: identifier)
            }
        } catch {
            throw .output(path: output, reason: "the PDF cannot be written (\(error))")
        }
    }

    static func pdfImage(_ image: EncodedImage) -> PDFPageImage {
        let space: PDFPageImage.ColourSpace = switch image.colourSpace {
        case .gray: .deviceGray
        case .rgb: .deviceRGB
        case .cmyk: .deviceCMYK
        case .indexedRGB(let palette): .indexedRGB(palette: palette)
        }
        let filter: PDFPageImage.Filter = switch image.compression {
        case .dct: .dct
        case .ccittG4(let blackIs1): .ccittG4(blackIs1: blackIs1)
        case .flate(let colors): .flatePNG(colors: colors)
        }
        return PDFPageImage(width: image.width, height: image.height, bitsPerComponent: image.bitsPerComponent,
                            colourSpace: space, filter: filter, invertedCMYK: image.invertedCMYK, data: image.data,
                            softMask: image.softMask?.data,
                            softMaskBitsPerComponent: image.softMask?.bitsPerComponent ?? 8)
    }
}
