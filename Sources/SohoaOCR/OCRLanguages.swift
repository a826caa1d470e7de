import Foundation

/// The languages text is recognised in (Tesseract's codes, `vie+eng`), checked against the
/// trained data installed, so that a missing pack is named before any page is read.
public struct OCRLanguages: Sendable, Equatable, CustomStringConvertible {
    /// The codes, in order of preference.
    public let codes: [String]
    /// The folder holding `<code>.traineddata`.
    public let dataFolder: String

    /// Where Debian's tesseract-ocr packages put the trained data, unless TESSDATA_PREFIX says otherwise.
    public static var defaultDataFolder: String {
        if let prefix = ProcessInfo.processInfo.environment["TESSDATA_PREFIX"], !prefix.isEmpty { return prefix }
        return "/usr/share/tesseract-ocr/5/tessdata"
    }

    /// Vietnamese first, then English (names of software, foreign words on forms).
    public static let standard = "vie+eng"

    /// Parses and checks `list` (`vie+eng`).
    ///
    /// - Throws: `OCRError.badLanguageList` for anything but codes of lower-case letters,
    ///   digits and `_` joined by `+`; `OCRError.languageMissing` naming the Debian package for
    ///   a language whose trained data is not in `dataFolder`.
    public init(_ list: String = OCRLanguages.standard, dataFolder: String = OCRLanguages.defaultDataFolder) throws(OCRError) {
        let codes = list.split(separator: "+", omittingEmptySubsequences: false).map(String.init)
        guard !codes.isEmpty, codes.count <= 8, codes.allSatisfy(Self.isCode), Set(codes).count == codes.count else {
            throw .badLanguageList(list)
        }
        for code in codes where !FileManager.default.isReadableFile(atPath: "\(dataFolder)/\(code).traineddata") {
            throw .languageMissing(language: code, debianPackage: Self.debianPackage(code), folder: dataFolder)
        }
        self.codes = codes
        self.dataFolder = dataFolder
    }

    /// `vie+eng`.
    public var description: String { codes.joined(separator: "+") }

    /// The Debian package holding a language's trained data (`chi_sim` → tesseract-ocr-chi-sim).
    public static func debianPackage(_ code: String) -> String {
        "tesseract-ocr-" + code.replacingOccurrences(of: "_", with: "-").lowercased()
    }

    private static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 16 && text.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F
        } && text != "osd"
    }
}
