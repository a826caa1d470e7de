import CTesseract
import Foundation

/// One Tesseract instance with its languages loaded: reads the text of page images, word by
/// word with their boxes. Loading the languages takes a while, so an engine is kept and used
/// for page after page; it is used by one thread at a time (see `OCREnginePool`).
public final class OCREngine {
    private let handle: OpaquePointer
    public let languages: OCRLanguages

    /// The largest image handed to Tesseract, in pixels (an A3 page at 600 dpi is 70 million).
    public static let pixelLimit = 100_000_000

    /// Starts Tesseract with `languages`.
    ///
    /// - Throws: `OCRError.engineFailed` when Tesseract cannot load them.
    public init(languages: OCRLanguages) throws(OCRError) {
        TesseractProcess.prepare()
        guard let handle = TessBaseAPICreate() else { throw .engineFailed("no Tesseract instance could be made") }
        // Tesseract's own messages go nowhere: what matters is reported through errors and confidences.
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        guard TessBaseAPIInit3(handle, languages.dataFolder, languages.description) == 0 else {
            TessBaseAPIDelete(handle)
            throw .engineFailed("the trained data for \(languages) in \(languages.dataFolder) could not be loaded")
        }
        // Find the page's columns, blocks and lines as the tesseract command does (the library's
        // own default reads the page as one block of text, which garbles headings and stamps).
        TessBaseAPISetPageSegMode(handle, PSM_AUTO)
        self.handle = handle
        self.languages = languages
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// Reads `image` (upright), scanned at `dpi`.
    ///
    /// - Throws: `OCRError.badImage` for an image over `pixelLimit`.
    public func recognize(_ image: GrayImage, dpi: Int) throws(OCRError) -> RecognizedPage {
        guard image.width * image.height <= Self.pixelLimit else {
            throw .badImage("\(image.width) × \(image.height) pixels is more than Tesseract is given (\(Self.pixelLimit))")
        }
        image.pixels.withUnsafeBufferPointer { pixels in
            TessBaseAPISetImage(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(handle, Int32(max(70, min(2400, dpi))))
        defer { TessBaseAPIClear(handle) }
        TesseractProcess.singleThreaded()
        guard TessBaseAPIRecognize(handle, nil) == 0, let iterator = TessBaseAPIGetIterator(handle) else {
            return RecognizedPage(width: image.width, height: image.height, words: [], skewDegrees: nil)
        }
        defer { TessResultIteratorDelete(iterator) }
        let page = TessResultIteratorGetPageIterator(iterator)
        var words: [RecognizedWord] = []
        var slopes: [(angle: Double, length: Double)] = []
        var line = -1
        repeat {
            if TessPageIteratorIsAtBeginningOf(page, RIL_TEXTLINE) != 0 {
                line += 1
                var bx1: Int32 = 0, by1: Int32 = 0, bx2: Int32 = 0, by2: Int32 = 0
                if TessPageIteratorBaseline(page, RIL_TEXTLINE, &bx1, &by1, &bx2, &by2) != 0, bx2 > bx1 {
                    let dx = Double(bx2 - bx1), dy = Double(by2 - by1)
                    slopes.append((atan2(dy, dx) * 180 / .pi, dx))
                }
            }
            guard let raw = TessResultIteratorGetUTF8Text(iterator, RIL_WORD) else { continue }
            let text = String(cString: raw).precomposedStringWithCanonicalMapping
                .trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(raw)
            guard !text.isEmpty else { continue }
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard TessPageIteratorBoundingBox(page, RIL_WORD, &left, &top, &right, &bottom) != 0, right > left, bottom > top else {
                continue
            }
            var bx1: Int32 = 0, by1: Int32 = 0, bx2: Int32 = 0, by2: Int32 = 0
            var baseline: Double?
            if TessPageIteratorBaseline(page, RIL_WORD, &bx1, &by1, &bx2, &by2) != 0 {
                let middle = Double(left + right) / 2
                baseline = bx2 == bx1 ? Double(by1)
                    : Double(by1) + Double(by2 - by1) * (middle - Double(bx1)) / Double(bx2 - bx1)
            }
            let confidence = Double(TessResultIteratorConfidence(iterator, RIL_WORD))
            words.append(RecognizedWord(text: text, box: PixelBox(x0: Int(left), y0: Int(top), x1: Int(right), y1: Int(bottom)),
                                        baseline: baseline, confidence: max(0, min(100, confidence)), line: max(0, line)))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        return RecognizedPage(width: image.width, height: image.height, words: words, skewDegrees: Self.skew(slopes))
    }

    /// The length-weighted median slope of the lines, when at least three lines are long enough to tell.
    static func skew(_ slopes: [(angle: Double, length: Double)]) -> Double? {
        let usable = slopes.filter { $0.length >= 200 && abs($0.angle) <= 15 }.sorted { $0.angle < $1.angle }
        guard usable.count >= 3 else { return nil }
        let half = usable.reduce(0) { $0 + $1.length } / 2
        var seen = 0.0
        for slope in usable {
            seen += slope.length
            if seen >= half { return (slope.angle * 10).rounded() / 10 }
        }
        return nil
    }
}

/// What the process needs before Tesseract runs.
enum TesseractProcess {
    private static let prepared: Void = {
        // For Tesseract's own threads, if any are started after this.
        setenv("OMP_THREAD_LIMIT", "1", 0)
    }()

    static func prepare() { _ = prepared }

    private typealias SetMaxActiveLevels = @convention(c) (Int32) -> Void
    /// libgomp's omp_set_max_active_levels, found where libtesseract brought it in.
    private static let setMaxActiveLevels: SetMaxActiveLevels? = {
        dlsym(nil, "omp_set_max_active_levels").map { unsafeBitCast($0, to: SetMaxActiveLevels.self) }
    }()

    /// Makes Tesseract's OpenMP regions run on the calling thread alone. Tesseract forks
    /// threads for every step of its networks (four per LSTM step), which on a machine already
    /// reading one page per core costs more in spinning and switching than it gains: measured,
    /// half the CPU of a page. OpenMP reads OMP_THREAD_LIMIT only when it loads (before
    /// `main`), so the limit is set per thread: no parallel region may be active.
    static func singleThreaded() { setMaxActiveLevels?(0) }
}
