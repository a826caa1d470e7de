/// The OCR languages a command's own `--lang` names: Tesseract's codes joined by `+`
/// (`vie+eng`). `--lang vi` and `--lang en` choose the language of Sohoa's messages wherever
/// they stand on the command line (the entry point applies them), so they name no OCR language:
/// `sohoa --lang vi watch …` reads pages in the default languages and speaks Vietnamese.
enum OCRLanguageOption {
    static func codes(_ value: String?) -> String? {
        guard let value, value != "vi", value != "en" else { return nil }
        return value
    }
}
