/// Why text recognition could not run. A page that is read but yields little text is not an
/// error: it comes back with a low confidence, to be flagged.
public enum OCRError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A language was asked for whose trained data is not installed.
    case languageMissing(language: String, debianPackage: String, folder: String)
    /// The language list is not of the form `vie+eng`.
    case badLanguageList(String)
    /// Tesseract could not start with the languages (damaged trained data, say).
    case engineFailed(String)
    /// The image handed over cannot be recognised (no pixels, or too large).
    case badImage(String)

    /// The mistake is in how the languages were written, not in what is installed.
    public var isBadList: Bool {
        if case .badLanguageList = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .languageMissing(let language, let package, let folder):
            return "the OCR language \"\(language)\" is not installed (no \(language).traineddata in \(folder)); "
                + "install the Debian package \(package)"
        case .badLanguageList(let text):
            return "\"\(text)\" is not a list of OCR languages (Tesseract's codes joined by +, e.g. vie+eng)"
        case .engineFailed(let reason): return "Tesseract could not start: \(reason)"
        case .badImage(let reason): return "the page cannot be handed to Tesseract: \(reason)"
        }
    }
}
