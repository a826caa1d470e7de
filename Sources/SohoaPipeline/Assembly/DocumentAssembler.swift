import Foundation
import SohoaFiles
import SohoaCrypto
import SohoaImaging
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
/// re-encoded, analysed), placed upright at its own size, with the document's metadata.
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
        let window = max(1, options.parallelism) * Self.pagesPerTask
        for start in stride(from: 0, to: pageList.count, by: window) {
            let batch = Array(pageList[start..<min(start + window, pageList.count)])
            for page in try await prepare(batch) {
                if let date = page.recordedDate { dates.append(date) }
                let keep = !(options.dropBlank && page.analysis.isBlank)
                if keep {
                    do {
                        try builder.addPage(image: Self.pdfImage(page.image), width: page.pageSize.width,
                                            height: page.pageSize.height,
                                            placement: PDFImagePlacement(rawValue: page.orientation.rawValue) ?? .up)
                    } catch {
                        throw .output(path: output, reason: "\(error)")
                    }
                }
                reported.append(AssembledPage(
                    source: page.source, indexInFile: page.indexInFile, description: page.description,
                    orientation: page.orientation, resolution: page.resolution, analysis: page.analysis,
                    encoding: page.image.summary, passedThrough: page.image.passedThrough,
                    pageSize: keep ? page.pageSize : nil))
            }
        }
        guard reported.contains(where: { !$0.dropped }) else { throw .everyPageBlank(count: reported.count) }
        let sources: [(name: String, sha256: String)]
        do {
            sources = try await hashedSources
        } catch let error as AssemblyError {
            throw error
        } catch {
            throw .input(ImagingError(file: files.first ?? "", reason: .unreadable("\(error)")))
        }

        let metadata = makeMetadata(sources: sources, creationDate: dates.min())
        let claimed = try writeAtomically(builder, metadata: metadata, to: output)
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

    /// Prepares `batch` with at most `parallelism` tasks in flight; returns the pages in order.
    /// Consecutive pages of one file go to one task, which opens the file once.
    private func prepare(_ batch: [(file: String, index: Int)]) async throws(AssemblyError) -> [PreparedPage] {
        let settings = options.preparation
        let limits = options.limits
        let width = max(1, options.parallelism)
        var runs: [Range<Int>] = []
        for position in batch.indices {
            if let last = runs.last, batch[last.lowerBound].file == batch[position].file,
               last.count < Self.pagesPerTask {
                runs[runs.count - 1] = last.lowerBound..<(position + 1)
            } else {
                runs.append(position..<(position + 1))
            }
        }
        do {
            return try await withThrowingTaskGroup(of: (Range<Int>, [PreparedPage]).self) { group in
                var results = [PreparedPage?](repeating: nil, count: batch.count)
                var next = 0
                func launch() {
                    let run = runs[next]
                    let file = batch[run.lowerBound].file
                    let indices = run.map { batch[$0].index }
                    group.addTask {
                        let source = try ImageReader.open(path: file, limits: limits)
                        return (run, try indices.map { try source.preparePage($0, settings: settings) })
                    }
                    next += 1
                }
                while next < min(width, runs.count) { launch() }
                while let (run, pages) = try await group.next() {
                    for (position, page) in zip(run, pages) { results[position] = page }
                    if next < runs.count { launch() }
                }
                return results.compactMap { $0 }
            }
        } catch let error as ImagingError {
            throw .input(error)
        } catch {
            throw .input(ImagingError(file: batch.first?.file ?? "", reason: .unreadable("\(error)")))
        }
    }

    /// Pages of one file handled by one task (a multi-page TIFF is opened once per run).
    static let pagesPerTask = 8

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
    private func writeAtomically(_ builder: PDFDocumentBuilder, metadata: PDFMetadata,
                                 to output: String) throws(AssemblyError) -> Bool {
        do {
            return try DurableFile.replace(output) { temporary in
                try builder.write(to: temporary, metadata: metadata, pdfa: options.pdfa)
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
