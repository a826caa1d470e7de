import Foundation

/// The OCR test pages (`Tests/Fixtures/make_ocr_pages.py`): Vietnamese documents with known
/// text and word boxes, generated once per test process.
public enum OCRPages {
    /// One generated page.
    public struct Page: Sendable {
        public let file: String
        public let path: String
        /// The exact text of the page.
        public let truth: String
        public let dpi: Double
        /// clean, noisy, skew2, rot90 or rot180.
        public let variant: String
        /// How far the image is turned clockwise from upright (0, 90, 180).
        public let rotation: Int
        /// The words and their boxes on the upright page, in pixels (top-left origin).
        public let words: [(text: String, box: [Double])]
    }

    /// The folder and its pages, made on first use.
    public static let generated: Result<[String: Page], any Error> = Result {
        let folder = try Fixtures.makeScratch("ocr-pages")
        let made = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_ocr_pages.py").path,
                                                folder.path])
        guard made.status == 0 else { throw SoftHSMToken.SetupError("make_ocr_pages.py failed: \(made.stderr)") }
        let manifest = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        guard let entries = try JSONSerialization.jsonObject(with: manifest) as? [[String: Any]] else {
            throw SoftHSMToken.SetupError("the OCR pages' manifest is not a list")
        }
        var pages: [String: Page] = [:]
        for entry in entries {
            guard let file = entry["file"] as? String, let truthFile = entry["truth"] as? String, let dpi = entry["dpi"] as? Double,
                  let variant = entry["variant"] as? String, let rotation = entry["rotation"] as? Int,
                  let words = entry["words"] as? [[String: Any]] else { throw SoftHSMToken.SetupError("a manifest entry lacks a field: \(entry)") }
            let truth = try String(contentsOf: folder.appendingPathComponent(truthFile), encoding: .utf8)
            pages[file] = Page(file: file, path: folder.appendingPathComponent(file).path, truth: truth, dpi: dpi, variant: variant,
                               rotation: rotation,
                               words: words.compactMap { word in
                                   guard let text = word["text"] as? String, let box = word["box"] as? [Double] else { return nil }
                                   return (text, box)
                               })
        }
        return pages
    }

    /// The page named `file` (e.g. `vb05-300dpi-clean.png`).
    public static func page(_ file: String) throws -> Page {
        guard let page = try generated.get()[file] else { throw SoftHSMToken.SetupError("no OCR test page \(file)") }
        return page
    }

    /// The character error rate of `hypothesis` against `truth`: their edit distance (in
    /// Unicode scalars, both in NFC with every run of white space made one space) over the
    /// truth's length.
    public static func characterErrorRate(truth: String, hypothesis: String) -> Double {
        func normalised(_ text: String) -> [Unicode.Scalar] {
            let words = text.precomposedStringWithCanonicalMapping.split(whereSeparator: { $0.isWhitespace })
            return Array(words.joined(separator: " ").unicodeScalars)
        }
        let reference = normalised(truth), candidate = normalised(hypothesis)
        guard !reference.isEmpty else { return candidate.isEmpty ? 0 : 1 }
        var previous = Array(0...candidate.count)
        var current = [Int](repeating: 0, count: candidate.count + 1)
        for (row, expected) in reference.enumerated() {
            current[0] = row + 1
            for (column, found) in candidate.enumerated() {
                current[column + 1] = min(previous[column + 1] + 1, current[column] + 1,
                                          previous[column] + (expected == found ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return Double(previous[candidate.count]) / Double(reference.count)
    }
}
