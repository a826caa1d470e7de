import Foundation

/// Engines kept for page after page: starting Tesseract (loading its languages) costs more
/// than reading a small page, so an engine is lent to one page at a time and given back. The
/// pool makes engines as they are needed, never more than were lent at once.
public final class OCREnginePool: @unchecked Sendable {
    public let languages: OCRLanguages
    /// Whether pages are checked for being sideways or upside down.
    public let detectsOrientation: Bool
    private let lock = NSLock()
    private var idle: [(engine: OCREngine, detector: OrientationDetector?)] = []

    /// - Throws: `OCRError.languageMissing` when orientation detection is asked for and its
    ///   trained data (tesseract-ocr-osd) is missing.
    public init(languages: OCRLanguages, detectsOrientation: Bool = true) throws(OCRError) {
        // Before any page is read: the detectors are made as pages need them.
        if detectsOrientation { try OrientationDetector.requireData(in: languages.dataFolder) }
        self.languages = languages
        self.detectsOrientation = detectsOrientation
    }

    /// Runs `body` with an engine (and an orientation detector, when the pool detects
    /// orientation) that no one else uses meanwhile.
    public func withEngine<T>(_ body: (OCREngine, OrientationDetector?) throws -> T) throws -> T {
        let lent: (engine: OCREngine, detector: OrientationDetector?)
        if let reused = lock.withLock({ idle.popLast() }) {
            lent = reused
        } else {
            lent = (try OCREngine(languages: languages), detectsOrientation ? try OrientationDetector(dataFolder: languages.dataFolder) : nil)
        }
        defer { lock.withLock { idle.append(lent) } }
        return try body(lent.engine, lent.detector)
    }
}
